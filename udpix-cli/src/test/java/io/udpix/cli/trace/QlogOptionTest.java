package io.udpix.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --qlog DIR} of serve and send, end to end over loopback (docs/QLOG.md). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QlogOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void serveAndSendEachWriteOneParsableTracePerConnectionWithPacketsAndMetrics() throws Exception {
        Path file = TestFiles.randomFile(temp.resolve("data.bin"), 2_000_000, new SplittableRandom(TestSeeds.seed(12)));
        Path serverTraces = temp.resolve("qlog-server");
        Path clientTraces = temp.resolve("qlog-client");
        Cli.Result sent;
        Cli.Result served;
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString(),
                "--qlog", serverTraces.toString())) {
            sent = Cli.run("send", file.toString(), "--to", serve.address(0), "--qlog", clientTraces.toString());
            served = serve.stop();
        }

        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        assertThat(sent.err()).as(sent.toString()).anyMatch(l -> l.startsWith("udpix: qlog: 1 trace file(s) in "));
        assertThat(served.exitCode()).as(served.toString()).isZero();
        List<JsonNode> client = onlyTrace(clientTraces, "client");
        List<JsonNode> server = onlyTrace(serverTraces, "server");
        for (List<JsonNode> trace : List.of(client, server)) {
            assertThat(names(trace)).contains("transport:connection_started", "transport:packet_sent",
                    "transport:packet_received", "recovery:metrics_updated", "udpix:transfer_completed",
                    "transport:connection_closed");
            assertThat(trace.get(trace.size() - 1).path("name").asText()).isEqualTo("udpix:trace_summary");
            JsonNode metrics = trace.stream().filter(e -> e.path("name").asText().equals("recovery:metrics_updated"))
                    .reduce((a, b) -> b).orElseThrow().path("data");
            assertThat(metrics.path("smoothed_rtt").asDouble()).isPositive();
            assertThat(metrics.path("congestion_window").asLong()).isPositive();
        }
        assertThat(client.stream().filter(e -> e.path("name").asText().equals("udpix:transfer_completed"))
                .map(e -> e.path("data").path("size_bytes").asLong())).containsExactly(2_000_000L);
    }

    @Test
    void refusesQlogInPlainModeBeforeBinding() {
        Cli.Result result = Cli.run("serve", "--port", "0", "--plain", "--out", temp.resolve("r").toString(),
                "--qlog", temp.resolve("q").toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", result.err())).contains("--qlog needs native mode");
        assertThat(temp.resolve("q")).doesNotExist();
    }

    @Test
    void refusesACapTooSmallForATraceNamingTheLeastItTakes() throws Exception {
        Path file = Files.writeString(temp.resolve("a.txt"), "hello");
        Cli.Result result = Cli.run("send", file.toString(), "--to", "127.0.0.1:9", "--qlog",
                temp.resolve("q").toString(), "--qlog-max-bytes", "1KiB");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", result.err())).contains("--qlog-max-bytes 1024 is too small; use at least 4096");
    }

    private static List<JsonNode> onlyTrace(Path dir, String role) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString())
                .matches("\\d{8}T\\d{6}\\.\\d{3}Z-" + role + "-[0-9a-f]{16}\\.sqlog");
        String text = Files.readString(files.get(0), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("\u001e");
        List<JsonNode> records = new ArrayList<>();
        for (String record : text.substring(1).split("\u001e", -1)) {
            assertThat(record).endsWith("\n");
            records.add(JSON.readTree(record));
        }
        assertThat(records.get(0).path("trace").path("vantage_point").path("type").asText()).isEqualTo(role);
        double last = Double.NEGATIVE_INFINITY;
        for (JsonNode e : records.subList(1, records.size())) {
            assertThat(e.path("time").asDouble()).as("%s", e).isGreaterThanOrEqualTo(last);
            last = e.path("time").asDouble();
        }
        return records.subList(1, records.size());
    }

    private static List<String> names(List<JsonNode> trace) {
        return trace.stream().map(e -> e.path("name").asText()).toList();
    }
}
