package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.UdpixClient;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve --max-connections} through the real command line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeConnectionLimitTest {
    @TempDir
    Path temp;

    @Test
    void aServerAtItsConnectionLimitRefusesTheNextSenderAsBusyAndTakesItOnceASlotIsFree() throws Exception {
        Path dir = temp.resolve("received");
        Path file = Files.write(temp.resolve("note.txt"), "hello".getBytes());
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(),
                "--max-connections", "1")) {
            String[] hostPort = serve.address(0).split(":");
            InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
            Cli.Result refused;
            try (UdpixClient holder = UdpixClient.connect(address)) {
                refused = Cli.run("send", file.toString(), "--to", serve.address(0), "--connect-timeout", "3s");
            }
            Cli.Result taken = Cli.run("send", file.toString(), "--to", serve.address(0));

            assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
            assertThat(String.join("\n", refused.err())).as(refused.toString()).containsIgnoringCase("busy");
            assertThat(taken.exitCode()).as(taken.toString()).isZero();
            assertThat(serve.stop().exitCode()).isZero();
        }
        assertThat(dir.resolve("note.txt")).hasContent("hello");
    }

    @Test
    void maxConnectionsIsForNativeModeOnlyAndMustBePositive() {
        ServeCommandTest.assertBadUsage(Cli.run("serve", "--port", "0", "--plain", "--max-connections", "5",
                "--out", temp.resolve("r").toString()), "--max-connections applies to native mode only");
        ServeCommandTest.assertBadUsage(Cli.run("serve", "--port", "0", "--max-connections", "0",
                "--out", temp.resolve("r").toString()), "--max-connections 0 is out of range");
    }
}
