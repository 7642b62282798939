package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.ItemKind;
import io.udpix.api.ServerEvent;
import io.udpix.cli.report.PlainLineReporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** serve's lines for the replies it sends back to requests. */
class ServerItemReportsTest {
    private static final InetSocketAddress REQUESTER = new InetSocketAddress("127.0.0.1", 50_000);

    private static ServerEvent replied(ItemKind kind, String name, long doneBytes, long sizeBytes, String message) {
        return new ServerEvent(ServerEvent.Type.REPLIED, kind, name, doneBytes, sizeBytes, REQUESTER, 9000,
                Duration.ofMillis(3), 0, null, null, message);
    }

    @Test
    void printsALinePerReplySentWithItsErrorOrWhyItWasNotDelivered() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ServerItemReports reports = new ServerItemReports(new PlainLineReporter(out), LiveDisplay.none(),
                Path.of("out"));

        reports.event(replied(ItemKind.JSON, "message.json", 17, 17, null));
        reports.event(replied(ItemKind.BYTES, "reply", 0, 0, "error: camera offline"));
        reports.event(replied(ItemKind.BYTES, "reply.txt", 0, 5, "not delivered: the connection closed"));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "replied json message.json 17 bytes to 127.0.0.1:50000 on port 9000 in 3.0 ms (5.67 kB/s)",
                "replied bytes reply 0 bytes to 127.0.0.1:50000 on port 9000 in 3.0 ms (0 B/s); error: camera offline",
                "reply failed bytes reply.txt 0 bytes to 127.0.0.1:50000 on port 9000 after 3.0 ms: not delivered: "
                        + "the connection closed");
    }
}
