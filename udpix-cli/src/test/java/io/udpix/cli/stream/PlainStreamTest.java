package io.udpix.cli.stream;

import static io.udpix.cli.stream.JsonEvents.lastEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.udpix.api.media.TestPattern;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix stream --plain} to {@code udpix serve --plain} (and to a receiver that never answers) on loopback. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlainStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aPatternStreamArrivesAtServePlainAsOneStoredJpegPerFrameWholeAndInOrder() throws Exception {
        Path out = dir.resolve("out");
        int frames = 12;
        JsonNode summary;
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--out", out.toString())) {
            Cli.Result stream = Cli.run("stream", "--plain", "--to", serve.address(0), "--size", "320x240",
                    "--fps", "20", "--frames", Integer.toString(frames), "--format", "json");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            summary = lastEvent(stream.out(), "stream-summary");
            assertThat(serve.out().awaitCount(line -> line.startsWith("received "), frames, WAIT))
                    .as(serve.out().text()).isTrue();
        }
        assertThat(summary.get("mode").asText()).isEqualTo("plain");
        assertThat(summary.get("datagramsSent").asLong()).as(summary.toString()).isEqualTo(frames);
        assertThat(summary.get("tooLarge").asLong()).isZero();
        // serve --plain answers each datagram; the run counts those that came while it ran (and for 0.3 s after),
        // never waiting for them, so a loaded machine may leave the last ones uncounted.
        assertThat(summary.get("replies").asLong()).as(summary.toString()).isPositive().isLessThanOrEqualTo(frames);
        assertThat(summary.get("errorReplies").asLong()).isZero();
        List<Path> stored = stored(out);
        assertThat(stored).hasSize(frames);
        long storedBytes = 0;
        TestPattern pattern = new TestPattern(320, 240);
        for (int i = 0; i < frames; i++) {
            byte[] jpeg = Files.readAllBytes(stored.get(i));
            storedBytes += jpeg.length;
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(image).as("%s is a whole JPEG", stored.get(i)).isNotNull();
            assertThat(pattern.readFrameNumber(image)).as("the source frame drawn in %s", stored.get(i))
                    .isEqualTo(OptionalLong.of(i));
        }
        // Every byte sent was stored: the datagrams' total is the stored files' total.
        assertThat(storedBytes).isEqualTo(summary.get("bytes").asLong());
    }

    @Test
    void aFolderOfJpegsGoesByteForByteAndAJpegTooLargeForOneDatagramIsSkippedCountedAndExplainedOnce()
            throws Exception {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed(51));
        Path images = Files.createDirectories(dir.resolve("images"));
        List<byte[]> small = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            small.add(Files.readAllBytes(TestFiles.imageFile(images, "a-" + i + ".jpg", 160, 120, random)));
        }
        Path big = TestFiles.imageFile(images, "b-big.jpg", 1024, 768, random);
        assertThat(Files.size(big)).as("too large for one datagram").isGreaterThan(65_507);
        Path out = dir.resolve("out");
        JsonNode summary;
        Cli.Result stream;
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--out", out.toString())) {
            // 8 frames over a-0, a-1, a-2, b-big, a-0, a-1, a-2, b-big: two too large.
            stream = Cli.run("stream", "--plain", "--to", serve.address(0), "--source", images.toString(), "--fps",
                    "20", "--frames", "8", "--format", "json");
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            summary = lastEvent(stream.out(), "stream-summary");
            assertThat(serve.out().awaitCount(line -> line.startsWith("received "), 6, WAIT))
                    .as(serve.out().text()).isTrue();
        }
        assertThat(summary.get("framesSent").asLong()).isEqualTo(8);
        assertThat(summary.get("tooLarge").asLong()).as(summary.toString()).isEqualTo(2);
        assertThat(summary.get("droppedAtSource").asLong()).isEqualTo(2);
        assertThat(summary.get("datagramsSent").asLong()).isEqualTo(6);
        assertThat(String.join("\n", stream.err())).containsOnlyOnce("does not fit one datagram")
                .contains("leave out --plain");
        List<Path> stored = stored(out);
        assertThat(stored).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(Files.readAllBytes(stored.get(i))).as("%s byte for byte", stored.get(i))
                    .isEqualTo(small.get(i % 3));
        }
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotSlowTheCameraLoop() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent.setReceiveBufferSize(4 << 20);
            Cli.Result stream = Cli.run("stream", "--plain", "--to", "127.0.0.1:" + silent.getLocalPort(),
                    "--size", "160x120", "--fps", "50", "--frames", "25", "--format", "json");
            // A loop that awaited replies (as send --plain does) would fail here: "no reply ... within 10 s".
            assertThat(stream.exitCode()).as(stream.toString()).isEqualTo(ExitCodes.OK);
            JsonNode summary = lastEvent(stream.out(), "stream-summary");
            assertThat(summary.get("datagramsSent").asLong()).isEqualTo(25);
            assertThat(summary.get("replies").asLong()).isZero();
            assertThat(summary.get("end").asText()).isEqualTo("25 frames sent");
        }
    }

    @Test
    void nativeOnlyOptionsWithPlainExitTwoAndNameTheFix() {
        assertUsage("--fec applies to native streams only", "--fec", "20");
        assertUsage("--latency applies to native streams only", "--latency", "100ms");
        assertUsage("--name applies to native streams only", "--name", "cam");
        assertUsage("apply to native mode only; plain mode has no keys", "--no-known-servers");
    }

    private static void assertUsage(String expected, String... options) {
        List<String> args = new ArrayList<>(List.of("stream", "--plain", "--to", "127.0.0.1:9", "--frames", "1"));
        args.addAll(List.of(options));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", result.err())).as(result.toString()).contains(expected)
                .contains("remove");
    }

    private static List<Path> stored(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.getFileName().toString().startsWith("item-")).sorted().toList();
        }
    }
}
