package io.udpix.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class StatsOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    @Test
    void sendAndServePrintParseableJsonStatsWithTheTransfersFigures() throws Exception {
        long seed = TestSeeds.seed(12);
        long size = 3 << 20;
        Path file = TestFiles.randomFile(temp.resolve("item.bin"), size, new SplittableRandom(seed));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString(),
                "--stats", "200ms", "--format", "json")) {
            Cli.Result send = Cli.run("send", file.toString(), "--to", serve.address(0), "--stats", "100ms",
                    "--format", "json");
            assertThat(send.exitCode()).as("seed=" + seed + "\n" + send).isEqualTo(ExitCodes.OK);

            List<JsonNode> sendStats = statsLines(send.out());
            assertThat(sendStats).as(send.toString()).isNotEmpty();
            JsonNode last = sendStats.get(sendStats.size() - 1);
            assertThat(last.get("itemsSent").asLong()).isEqualTo(1);
            assertThat(last.get("itemBytesSent").asLong()).isEqualTo(size);
            assertThat(last.get("datagramsSent").asLong()).isPositive();
            assertThat(last.get("drops").isObject()).isTrue();
            JsonNode conn = last.get("connections").get(0);
            assertThat(conn.get("peer").asText()).isEqualTo(serve.address(0));
            assertThat(conn.get("role").asText()).isEqualTo("client");
            assertThat(conn.get("rttSmoothedMs").asDouble()).isPositive();
            assertThat(conn.get("congestionWindowBytes").asLong()).isPositive();
            assertThat(conn.get("packetsSent").asLong()).isGreaterThan(size / 65_536);
            assertThat(conn.get("datagramBytes").asLong()).isPositive();

            // The server: a line that counts the item, and (the client gone) one whose connection slots are freed.
            String received = serve.out().await(line -> line.contains("\"event\":\"stats\"")
                    && line.contains("\"itemsReceived\":1,"), WAIT);
            assertThat(received).as(serve.out().text()).isNotNull();
            JsonNode server = JSON.readTree(received);
            assertThat(server.get("itemBytesReceived").asLong()).isEqualTo(size);
            assertThat(server.get("handshakes").asLong()).isEqualTo(1);
            assertThat(server.get("port").asInt()).isEqualTo(serve.ports().get(0));
            String freed = serve.out().await(line -> line.contains("\"itemsReceived\":1,")
                    && line.contains("\"connections\":[]"), WAIT);
            assertThat(freed).as("connection figures freed once the client closed\n" + serve.out().text())
                    .isNotNull();
        }
    }

    @Test
    void servePrintsOnePlainLinePerIntervalWithPortTotalsAndDrops() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString(),
                "--stats", "100ms")) {
            Pattern line = Pattern.compile("stats :" + serve.ports().get(0) + " in .* \\(0 datagrams, 0 B\\) out .*"
                    + "; handshakes 0; items in 0 \\(0 B\\) out 0 \\(0 B\\) failed 0; drops 0");
            String first = serve.out().await(l -> line.matcher(l).matches(), WAIT);
            assertThat(first).as(serve.out().text()).isNotNull();
            long start = System.nanoTime();
            while (serve.out().text().lines().filter(l -> l.startsWith("stats :")).count() < 3
                    && System.nanoTime() - start < WAIT.toNanos()) {
                Thread.sleep(50);
            }
            assertThat(serve.out().text().lines().filter(l -> l.startsWith("stats :")).count())
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void refusesAnIntervalTooShortAndStatsInPlainModeWithExitCodeTwo() throws Exception {
        Path file = TestFiles.randomFile(temp.resolve("x.bin"), 10, new SplittableRandom(1));
        Cli.Result tooShort = Cli.run("send", file.toString(), "--to", "127.0.0.1:9", "--stats", "10ms");
        assertThat(tooShort.exitCode()).as(tooShort.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", tooShort.err())).contains("--stats 10ms is too short");
        Cli.Result plain = Cli.run("serve", "--port", "0", "--plain", "--stats", "1s");
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", plain.err())).contains("--stats needs native mode");
    }

    private static List<JsonNode> statsLines(List<String> out) throws Exception {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String line : out) {
            JsonNode node = JSON.readTree(line);
            if ("stats".equals(node.path("event").asText())) {
                nodes.add(node);
            }
        }
        return nodes;
    }
}
