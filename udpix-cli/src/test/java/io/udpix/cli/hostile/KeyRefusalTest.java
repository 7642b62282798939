package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.Cli;
import io.udpix.cli.CliProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code udpix send} as its own process against {@code udpix serve} with keys: a pinned key that is not the
 * server's, and a client key the server does not admit, each end the process with exit code 4 and a message
 * naming the keys, at once rather than at the handshake timeout; nothing is stored.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class KeyRefusalTest {
    /** {@code ExitCodes.AUTHENTICATION}: a key was refused. */
    private static final int AUTHENTICATION = 4;
    private static final Pattern FINGERPRINT = Pattern.compile("(SHA256:[A-Za-z0-9+/=_-]+)");
    /** Well below the 10 s handshake timeout a silent refusal would take. */
    private static final long REFUSED_WITHIN_MS = 5_000;

    @TempDir
    Path temp;

    @Test
    void aSendPinningAKeyThatIsNotTheServersExitsFourNamingBothKeys() throws Exception {
        String serverKey = keygen("server.key");
        String otherKey = keygen("other.key");
        Path out = temp.resolve("received");
        try (ServeProcess serve = ServeProcess.start(temp, List.of("-Xmx128m"), out, "--key",
                temp.resolve("server.key").toString())) {
            long startNs = System.nanoTime();
            try (CliProcess send = CliProcess.start(temp, List.of("-Xmx128m", ServeProcess.configDirOption(temp)),
                    "send", "--json", "{\"a\":1}",
                    "--to", "127.0.0.1:" + serve.port(), "--server-key", otherKey)) {
                int exit = send.awaitExit(Duration.ofSeconds(20));
                long tookMs = (System.nanoTime() - startNs) / 1_000_000;

                assertThat(exit).as(send.transcript()).isEqualTo(AUTHENTICATION);
                assertThat(send.err().text()).as(send.transcript()).contains(otherKey).contains(serverKey);
                assertThat(tookMs).as("refused after %d ms (JVM start included)", tookMs)
                        .isLessThan(REFUSED_WITHIN_MS + 3_000);
            }
        }
        assertThat(!Files.exists(out.resolve("messages.jsonl")) || Files.size(out.resolve("messages.jsonl")) == 0)
                .as("nothing stored").isTrue();
    }

    @Test
    void aClientWhoseKeyIsNotOnTheAllowListExitsFourNamingItsKey() throws Exception {
        String admitted = keygen("admitted.key");
        String client = keygen("client.key");
        Path allowed = temp.resolve("allowed_keys");
        Files.writeString(allowed, admitted + " the only admitted client\n");
        Path out = temp.resolve("received");
        try (ServeProcess serve = ServeProcess.start(temp, List.of("-Xmx128m"), out, "--allow-keys",
                allowed.toString())) {
            long startNs = System.nanoTime();
            try (CliProcess send = CliProcess.start(temp, List.of("-Xmx128m", ServeProcess.configDirOption(temp)),
                    "send", "--json", "{\"a\":1}",
                    "--to", "127.0.0.1:" + serve.port(), "--key", temp.resolve("client.key").toString(),
                    "--no-known-servers")) {
                int exit = send.awaitExit(Duration.ofSeconds(20));
                long tookMs = (System.nanoTime() - startNs) / 1_000_000;

                assertThat(exit).as(send.transcript()).isEqualTo(AUTHENTICATION);
                assertThat(send.err().text()).as(send.transcript()).contains(client).contains("allow");
                assertThat(tookMs).as("refused after %d ms (JVM start included)", tookMs)
                        .isLessThan(REFUSED_WITHIN_MS + 3_000);
            }
        }
        assertThat(!Files.exists(out.resolve("messages.jsonl")) || Files.size(out.resolve("messages.jsonl")) == 0)
                .as("nothing stored").isTrue();
    }

    /** {@code udpix keygen --out NAME} (in-process: it is set-up, not what is tested); its fingerprint. */
    private String keygen(String name) {
        Cli.Result keygen = Cli.run("keygen", "--out", temp.resolve(name).toString());
        assertThat(keygen.exitCode()).as(keygen.toString()).isZero();
        Matcher m = FINGERPRINT.matcher(keygen.outText());
        assertThat(m.find()).as("keygen printed a fingerprint: " + keygen).isTrue();
        return m.group(1);
    }
}
