package io.udpix.cli.stream;

import static io.udpix.cli.stream.JsonEvents.lastEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import io.udpix.cli.demo.Impairment;
import io.udpix.cli.demo.LossyRelay;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix stream} to {@code udpix serve} over loopback sockets: what arrives, and what the reports say. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration END_WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void throughTheDemosLossyRelayWithAddedDelayNearlyEveryFrameIsShownOnTime() throws Exception {
        long seed = TestSeeds.seed(31);
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--format", "json");
             LossyRelay relay = LossyRelay.start(new InetSocketAddress("127.0.0.1", serve.ports().get(0)),
                     Impairment.of(0.02, 0, 0.01).withDelay(Duration.ofMillis(15)), seed)) {
            Cli.Result stream = Cli.run("stream", "--to", "127.0.0.1:" + relay.address().getPort(), "--source",
                    "pattern", "--size", "320x240", "--fps", "20", "--frames", "100", "--latency", "300ms",
                    "--no-known-servers", "--format", "json");
            assertThat(stream.exitCode()).as("seed=%d %s", seed, stream).isEqualTo(ExitCodes.OK);
            JsonNode summary = lastEvent(stream.out(), "stream-summary");
            assertThat(summary.get("framesSent").asLong()).isEqualTo(100);

            JsonNode ended = JSON.readTree(serve.out().await(line -> line.contains("\"stream-ended\""), END_WAIT));
            long frames = ended.get("frames").asLong();
            long onTime = ended.get("onTime").asLong();
            // 2% loss each way and a 30 ms round trip within a 300 ms budget: repairs make nearly every frame.
            assertThat(frames).as("seed=%d %s", seed, ended).isGreaterThanOrEqualTo(90);
            assertThat((double) onTime / frames).as("on-time share, seed=%d %s", seed, ended)
                    .isGreaterThanOrEqualTo(0.95);
            assertThat(ended.get("latencyP99Ms").asDouble()).isLessThanOrEqualTo(300);
            for (String field : List.of("late", "lost", "latencyP50Ms", "fecRecovered", "retransmitted")) {
                assertThat(ended.has(field)).as(field).isTrue();
            }
            // Per second, while it ran: at least one "stream" object for it.
            assertThat(serve.out().lines()).anySatisfy(line -> assertThat(line).contains("\"event\":\"stream\""));
        }
    }

    @Test
    void framesOutHoldsEveryFrameOfAFolderSourceByteForByteInOrder() throws Exception {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed(32));
        Path images = Files.createDirectories(dir.resolve("images"));
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jpegs.add(Files.readAllBytes(TestFiles.imageFile(images, "img-" + i + ".jpg", 160, 120, random)));
        }
        Path framesOut = dir.resolve("frames");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--frames-out", framesOut.toString())) {
            Cli.Result stream = Cli.run("stream", "--to", serve.address(0), "--source", images.toString(), "--fps",
                    "20", "--frames", "20", "--no-known-servers");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            serve.out().await(line -> line.startsWith("stream ") && line.contains(" ended"), END_WAIT);
        }
        List<Path> saved = savedFrames(framesOut);
        // Frames late at their deadline are dropped by design; on loopback most arrive (not an exact count).
        assertThat(saved).hasSizeGreaterThanOrEqualTo(10);
        // In frame-number order, the images follow the folder's name order: frames dropped at the source (latest
        // wins) skip images, so the position in the 20 sent is counted forward from image to image.
        int previousIndex = -1;
        int position = -1;
        for (Path file : saved) {
            int index = indexOf(jpegs, Files.readAllBytes(file));
            assertThat(index).as("%s is byte for byte one of the folder's JPEGs", file).isNotNegative();
            int steps = previousIndex < 0 ? index + 1 : Math.floorMod(index - previousIndex - 1, 5) + 1;
            position += steps;
            previousIndex = index;
        }
        assertThat(position).as("the images, in frame order, fit in the 20 frames sent in name order").isLessThan(20);
    }

    @Test
    void anMjpegStreamOnStandardInputArrivesFrameByFrameAsSent() throws Exception {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed(33));
        List<byte[]> jpegs = new ArrayList<>();
        ByteArrayOutputStream mjpeg = new ByteArrayOutputStream();
        for (int i = 0; i < 12; i++) {
            byte[] jpeg = TestFiles.image("jpg", 200, 150, random);
            jpegs.add(jpeg);
            mjpeg.write(jpeg);
        }
        Path framesOut = dir.resolve("frames");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--frames-out", framesOut.toString())) {
            Cli.Result stream = Cli.run(new ByteArrayInputStream(mjpeg.toByteArray()), "stream", "--to",
                    serve.address(0), "--source", "-", "--fps", "20", "--no-known-servers", "--format", "json");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            JsonNode summary = lastEvent(stream.out(), "stream-summary");
            assertThat(summary.get("framesSent").asLong()).isEqualTo(12);
            assertThat(summary.get("end").asText()).isEqualTo("end of input");
            serve.out().await(line -> line.startsWith("stream ") && line.contains(" ended"), END_WAIT);
        }
        List<Path> saved = savedFrames(framesOut);
        assertThat(saved).hasSizeGreaterThanOrEqualTo(6);
        int previous = -1;
        for (Path file : saved) {
            int index = indexOf(jpegs, Files.readAllBytes(file));
            assertThat(index).as("%s is byte for byte a JPEG of the input, after the one before", file)
                    .isGreaterThan(previous);
            previous = index;
        }
    }

    @Test
    void aStreamAndOrdinaryItemsShareOneConnectionToOneServerAtOnce() throws Exception {
        byte[] payload = TestFiles.bytes(3_000_000, new SplittableRandom(TestSeeds.seed(34)));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--format", "json");
             UdpixClient client = UdpixClient.builder(new InetSocketAddress("127.0.0.1", serve.ports().get(0)))
                     .connect()) {
            FrameStream stream = client.openStream(StreamOptions.builder().name("beside-items").fps(30).build());
            var send = client.sendAsync(Item.bytes(payload, "payload.bin"));
            for (int i = 0; i < 60; i++) {
                stream.send(TestFiles.image("jpg", 160, 120, new SplittableRandom(i)));
                Thread.sleep(33);
            }
            SendResult result = send.get(30, TimeUnit.SECONDS);
            assertThat(result.sizeBytes()).isEqualTo(payload.length);
            stream.close();
            JsonNode ended = JSON.readTree(serve.out().await(line -> line.contains("\"stream-ended\""), END_WAIT));
            assertThat(ended.get("name").asText()).isEqualTo("beside-items");
            // Items get every fourth packet when both wait: the stream stays nearly whole (a share, not a count).
            assertThat(ended.get("onTime").asLong()).as(ended.toString()).isGreaterThanOrEqualTo(48);
            assertThat(Files.readAllBytes(dir.resolve("out").resolve("payload.bin"))).isEqualTo(payload);
        }
    }

    @Test
    void aServerThatRefusesStreamsGivesTheSenderAClearErrorAndANonZeroExit() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.resolve("out").toString(),
                "--no-streams")) {
            Cli.Result stream = Cli.run("stream", "--to", serve.address(0), "--frames", "30", "--fps", "30",
                    "--no-known-servers");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.TRANSFER_FAILED);
            assertThat(String.join("\n", stream.err())).as(stream.toString())
                    .contains("does not take frame streams").contains(serve.address(0));
        }
    }


    private static List<Path> savedFrames(Path framesOut) throws IOException {
        try (Stream<Path> dirs = Files.list(framesOut)) {
            List<Path> streams = dirs.toList();
            assertThat(streams).as("one directory per stream").hasSize(1);
            try (Stream<Path> files = Files.list(streams.get(0))) {
                return files.sorted().toList();
            }
        }
    }

    private static int indexOf(List<byte[]> candidates, byte[] bytes) {
        for (int i = 0; i < candidates.size(); i++) {
            if (Arrays.equals(candidates.get(i), bytes)) {
                return i;
            }
        }
        return -1;
    }
}
