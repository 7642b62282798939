package io.udpix.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code udpix serve --max-latency / --min-latency / --max-frame-size / --max-streams} (docs/PROTOCOL.md 5.8.1) over
 * loopback: what a sender is granted, what it is refused and how it is told; and the figures the JSON reports carry.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeStreamLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration END_WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aServerWithAMaxLatencyOf80MsGrantsASenderAsking150MsOnly80MsAndBothReportsSaySo() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--max-latency", "80ms", "--format", "json")) {
            Cli.Result stream = Cli.run("stream", "--to", serve.address(0), "--size", "160x120", "--fps", "20",
                    "--frames", "30", "--latency", "150ms", "--no-known-servers", "--format", "json");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            JsonNode started = event(stream.out(), "stream-started");
            assertThat(started.get("latencyMs").asLong()).as("what was asked").isEqualTo(150);
            assertThat(started.get("latencyBudgetMs").asLong()).as("what was granted").isEqualTo(80);
            assertThat(event(stream.out(), "stream-summary").get("latencyBudgetMs").asLong()).isEqualTo(80);

            JsonNode ended = JSON.readTree(serve.out().await(line -> line.contains("\"stream-ended\""), END_WAIT));
            assertThat(ended.get("latencyBudgetMs").asDouble()).as(ended.toString()).isEqualTo(80.0);
        }
    }

    @Test
    void aServerWithAMinLatencyRaisesASmallerRequestToItsMinimum() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--min-latency", "300ms");
             UdpixClient client = UdpixClient.builder(new InetSocketAddress("127.0.0.1", serve.ports().get(0)))
                     .connect();
             FrameStream stream = client.openStream(StreamOptions.builder().latency(Duration.ofMillis(50)).build())) {
            assertThat(stream.stats().latencyBudgetNs()).isEqualTo(300_000_000L);
        }
    }

    @Test
    void aFrameAboveTheServersMaxFrameSizeIsRefusedWithTheReasonAndTheStreamGoesOn() throws Exception {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed(41));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--max-frame-size", "20KB");
             UdpixClient client = UdpixClient.builder(new InetSocketAddress("127.0.0.1", serve.ports().get(0)))
                     .connect();
             FrameStream stream = client.openStream(StreamOptions.builder().name("limits").build())) {
            assertThat(stream.maxFrameBytes()).isEqualTo(20_000);
            byte[] large = new byte[20_001];
            large[0] = (byte) 0xFF;
            assertThatThrownBy(() -> stream.send(large)).isInstanceOfSatisfying(UdpixException.class, e -> {
                assertThat(e.kind()).isEqualTo(UdpixException.Kind.TOO_LARGE);
                assertThat(e.getMessage()).contains("a frame of 20001 bytes is larger than the server at "
                        + serve.address(0) + " takes (at most 20000 bytes per frame)")
                        .contains("udpix serve --max-frame-size").contains("the stream stays open");
            });
            assertThat(stream.framesTooLarge()).isEqualTo(1);
            assertThat(stream.failure()).isEmpty();
            stream.send(TestFiles.image("jpg", 64, 48, random)); // The next, smaller frame goes.
            stream.close();
            assertThat(stream.ended().get(10, TimeUnit.SECONDS).frames()).isEqualTo(1);
        }
    }

    @Test
    void udpixStreamSkipsAndCountsFramesAboveTheServersLimitAndSaysWhyOnce() throws Exception {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed(42));
        Path images = Files.createDirectories(dir.resolve("images"));
        TestFiles.imageFile(images, "a-small.jpg", 80, 60, random);
        Path big = TestFiles.imageFile(images, "b-big.jpg", 640, 480, random);
        assertThat(Files.size(big)).as("the big image is above the limit").isGreaterThan(30_000);
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--max-frame-size", "30KB")) {
            Cli.Result stream = Cli.run("stream", "--to", serve.address(0), "--source", images.toString(), "--fps",
                    "20", "--frames", "6", "--no-known-servers", "--format", "json");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            JsonNode summary = event(stream.out(), "stream-summary");
            assertThat(summary.get("framesSent").asLong()).isEqualTo(6);
            assertThat(summary.get("framesTooLarge").asLong()).as(summary.toString()).isEqualTo(3);
            assertThat(String.join("\n", stream.err())).containsOnlyOnce("larger than the server at")
                    .contains("udpix serve --max-frame-size");
        }
    }

    @Test
    void aSecondStreamBeyondTheServersMaxStreamsIsRefusedWithTheReasonAndTheFirstGoesOn() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--max-streams", "1");
             UdpixClient client = UdpixClient.builder(new InetSocketAddress("127.0.0.1", serve.ports().get(0)))
                     .connect();
             FrameStream first = client.openStream(StreamOptions.builder().name("first").build())) {
            assertThatThrownBy(() -> client.openStream(StreamOptions.builder().name("second").build()))
                    .isInstanceOfSatisfying(UdpixException.class, e -> {
                        assertThat(e.kind()).isEqualTo(UdpixException.Kind.REFUSED);
                        assertThat(e.getMessage()).contains("cannot open another stream to " + serve.address(0))
                                .contains("at most 1 stream ").contains("udpix serve --max-streams")
                                .contains("close a stream first");
                    });
            first.send(TestFiles.image("jpg", 64, 48, new SplittableRandom(1)));
            assertThat(first.failure()).isEmpty();
        }
    }

    @Test
    void badLimitsExitTwoAndNameTheFix() {
        assertServeUsage("--max-latency must be at least 1ms", "--max-latency", "0ms");
        assertServeUsage("--min-latency 200 ms is above --max-latency 100 ms", "--min-latency", "200ms",
                "--max-latency", "100ms");
        assertServeUsage("--max-latency 20000 ms is out of range; use 0ms to 10s", "--max-latency", "20s");
        assertServeUsage("--max-streams 0 is out of range; use 1 to 65535", "--max-streams", "0");
        assertServeUsage("--max-frame-size 3000000000 bytes is out of range", "--max-frame-size", "3GB");
        assertServeUsage("--max-streams applies to native mode only", "--plain", "--max-streams", "2");
        assertServeUsage("--max-frame-size limits frame streams, but --no-streams refuses them", "--no-streams",
                "--max-frame-size", "1MiB");
    }

    @Test
    void streamJsonPerSecondAndSummaryCarryTheSendersFiguresTheIssueAsksFor() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString())) {
            Cli.Result stream = Cli.run("stream", "--to", serve.address(0), "--size", "160x120", "--fps", "20",
                    "--frames", "30", "--no-known-servers", "--format", "json");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            List<JsonNode> perSecond = events(stream.out(), "stream");
            assertThat(perSecond).as("1.5 s of frames: at least one per-second object").isNotEmpty();
            List<JsonNode> all = new ArrayList<>(perSecond);
            all.add(event(stream.out(), "stream-summary"));
            for (JsonNode node : all) {
                // fps sent, rate, dropped at source, FEC overhead (issue 11), and what the budget and limits did.
                for (String field : List.of("fps", "bytesPerSecond", "droppedAtSource", "fecPercent",
                        "overheadPercent", "parityBytes", "retransmitted", "abandoned", "latencyBudgetMs",
                        "framesTooLarge", "quality", "width", "height")) {
                    assertThat(node.has(field)).as("%s in %s", field, node).isTrue();
                }
            }
            assertThat(perSecond.get(0).get("fps").asDouble()).as(perSecond.get(0).toString()).isGreaterThan(5);
        }
    }

    private void assertServeUsage(String expected, String... options) {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--out", dir.resolve("u").toString()));
        args.addAll(List.of(options));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", result.err())).as(result.toString()).contains(expected);
    }

    private static JsonNode event(List<String> lines, String event) throws IOException {
        List<JsonNode> found = events(lines, event);
        assertThat(found).as("a %s line in %s", event, lines).isNotEmpty();
        return found.get(found.size() - 1);
    }

    private static List<JsonNode> events(List<String> lines, String event) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                if (event.equals(node.path("event").asText())) {
                    found.add(node);
                }
            }
        }
        return found;
    }
}
