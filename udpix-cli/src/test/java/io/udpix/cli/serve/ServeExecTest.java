package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import io.udpix.api.ReceivedItem;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --exec} end to end over loopback: the command's output is the reply, failures are error replies. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeExecTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static InetSocketAddress address(BackgroundServe serve) {
        return new InetSocketAddress("127.0.0.1", serve.ports().get(0));
    }

    @Test
    void theCommandsJsonOutputIsTheReplyAndItsOutcomeIsPrinted() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--exec-shell", "--exec", "printf '{\"bytes\": %s}' $(wc -c < {})");
                UdpixClient client = UdpixClient.connect(address(serve))) {
            ReceivedItem reply = client.request(Item.bytes(new byte[1234], "blob.bin"), WAIT);
            assertThat(reply.kind()).isEqualTo(ItemKind.JSON);
            assertThat(reply.text()).isEqualTo("{\"bytes\": 1234}");

            ReceivedItem forJson = client.request(Item.jsonText("{\"a\": 1}"), WAIT);
            assertThat(forJson.text()).as("a JSON message in memory goes through a temporary file")
                    .isEqualTo("{\"bytes\": 8}");
            assertThat(serve.out().await(l -> l.contains("exec 'blob.bin': exited with code 0")
                    && l.contains("{\"bytes\": 1234}"), WAIT)).isNotNull();
        }
    }

    @Test
    void aFailingCommandIsAnErrorReplyNamingItsExitCodeAndStandardError() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--exec", "sh -c 'echo cannot parse it >&2; exit 3'");
                UdpixClient client = UdpixClient.connect(address(serve))) {
            assertThatThrownBy(() -> client.request(Item.bytes(new byte[10], "x.bin"), WAIT))
                    .isInstanceOf(UdpixException.class).hasMessageContaining("exited with code 3")
                    .hasMessageContaining("cannot parse it");
            assertThat(serve.out().await(l -> l.contains("exec 'x.bin': exited with code 3")
                    && l.contains("stderr: cannot parse it"), WAIT)).isNotNull();
        }
    }

    @Test
    void aHangingCommandIsKilledAtTheTimeoutAndTheNextItemStillRuns() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--exec-timeout", "1s", "--exec-jobs", "1", "--exec-shell", "--exec",
                "case {} in *slow*) sleep 60;; *) echo done;; esac");
                UdpixClient client = UdpixClient.connect(address(serve))) {
            long startNs = System.nanoTime();
            assertThatThrownBy(() -> client.request(Item.bytes(new byte[10], "slow.bin"), WAIT))
                    .isInstanceOf(UdpixException.class).hasMessageContaining("timed out after 1 s and was killed");
            assertThat((System.nanoTime() - startNs) / 1_000_000).isLessThan(15_000);
            assertThat(client.request(Item.bytes(new byte[10], "fast.bin"), WAIT).text()).isEqualTo("done\n");
        }
    }

    @Test
    void aHostileNameReachesTheCommandAsOneArgumentAndIsNeverRun() throws Exception {
        Path out = dir.resolve("out");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", out.toString(),
                "--exec", "printf %s {}");
                UdpixClient client = UdpixClient.connect(address(serve))) {
            String hostile = "a; touch pwned $(touch pwned2) `touch pwned3`.txt";
            String path = client.request(Item.bytes("x".getBytes(StandardCharsets.UTF_8), hostile), WAIT).text();
            assertThat(Path.of(path)).as("the stored file's absolute path, as one argument").isAbsolute()
                    .hasContent("x");
            assertThat(Path.of(path).getFileName().toString()).contains("touch pwned $(touch pwned2)");
            try (var files = Files.list(out)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pwned"));
            }
        }
    }

    @Test
    void sendWaitReplyPrintsTheCommandsOutput() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--exec", "tr a-z A-Z")) {
            Path file = Files.writeString(dir.resolve("in.txt"), "hello from the sender");
            Cli.Result result = Cli.run("send", file.toString(), "--to", serve.address(0), "--wait-reply");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).as(result.toString()).contains("HELLO FROM THE SENDER");
            assertThat(serve.out().await(l -> l.contains("exec 'in.txt': exited with code 0"), WAIT)).isNotNull();
        }
    }

    @Test
    void execOptionsAreCheckedBeforeAnythingBinds() {
        Cli.Result plain = Cli.run("serve", "--port", "0", "--plain", "--exec", "true");
        assertThat(plain.exitCode()).isEqualTo(2);
        assertThat(String.join("\n", plain.err())).contains("--exec needs native mode");
        Cli.Result unclosed = Cli.run("serve", "--port", "0", "--exec", "echo 'x");
        assertThat(unclosed.exitCode()).isEqualTo(2);
        assertThat(String.join("\n", unclosed.err())).contains("--exec: unclosed '");
        Cli.Result jobs = Cli.run("serve", "--port", "0", "--exec", "true", "--exec-jobs", "0");
        assertThat(jobs.exitCode()).isEqualTo(2);
        assertThat(String.join("\n", jobs.err())).contains("--exec-jobs 0 is out of range");
    }
}
