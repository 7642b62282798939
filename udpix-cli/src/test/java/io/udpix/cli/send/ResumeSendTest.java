package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.store.Partials;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.CliProcess;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over loopback: {@code udpix serve --out D}, a {@code udpix send BIG} process killed with SIGKILL when
 * the server's partial file reaches about half, then another {@code udpix send BIG}.
 */
class ResumeSendTest {
    private static final long SIZE_BYTES = 64L << 20;
    /** Half the file in about a second, so the kill lands near 50% whatever the JVM's start-up took. */
    private static final String RATE = "32MiB";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aSendKilledHalfwayIsResumedByTheNextRunWhichMovesAboutHalfTheBytesAndTheStoredFileVerifies()
            throws Exception {
        long seed = TestSeeds.seed(15_001);
        Path big = TestFiles.randomFile(temp.resolve("big.bin"), SIZE_BYTES, new SplittableRandom(seed));
        Path out = temp.resolve("out");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", out.toString())) {
            long heldAtKill = killSendAtHalf(serve, big, out);

            // At once: the killed sender's connection has not timed out, its transfer is taken over.
            JsonNode sent = sendJson(serve, big);

            long resumed = sent.get("resumedFromBytes").asLong();
            long moved = sent.get("movedBytes").asLong();
            System.out.printf("resume after SIGKILL: partial held %d of %d at the kill, resumed at %d, moved %d (%.1f%%)%n",
                    heldAtKill, SIZE_BYTES, resumed, moved, 100.0 * moved / SIZE_BYTES);
            assertThat(moved).as("seed=%d held at kill %d, resumed at %d", seed, heldAtKill, resumed)
                    .isBetween((long) (SIZE_BYTES * 0.35), (long) (SIZE_BYTES * 0.65));
            assertThat(resumed + moved).isEqualTo(SIZE_BYTES);
            assertThat(sent.get("sha256").asText()).isEqualTo(sha256Hex(big));
            awaitStored(out.resolve("big.bin"));
            assertThat(sha256Hex(out.resolve("big.bin"))).as("seed=%d", seed).isEqualTo(sha256Hex(big));
            assertThat(partials(out)).as("the partial is gone once the file is stored").isEmpty();
            assertThat(serve.out().await(line -> line.contains("took over its partial file"), Duration.ofSeconds(10)))
                    .as("the killed sender's transfer was taken over, not waited for\n%s\n%s", serve.out().text(),
                            serve.err().text()).isNotNull();
        }
    }

    @Test
    void aChangedSourceFileOfTheSameNameAndSizeStartsFromZeroAndIsStoredCorrect() throws Exception {
        long seed = TestSeeds.seed(15_002);
        Path big = TestFiles.randomFile(temp.resolve("big.bin"), SIZE_BYTES, new SplittableRandom(seed));
        Path out = temp.resolve("out");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", out.toString())) {
            killSendAtHalf(serve, big, out);
            TestFiles.randomFile(big, SIZE_BYTES, new SplittableRandom(seed + 1)); // same name and size

            JsonNode sent = sendJson(serve, big);

            assertThat(sent.get("resumedFromBytes").asLong()).as("seed=%d", seed).isZero();
            assertThat(sent.get("movedBytes").asLong()).isEqualTo(SIZE_BYTES);
            awaitStored(out.resolve("big.bin"));
            assertThat(sha256Hex(out.resolve("big.bin"))).as("seed=%d", seed).isEqualTo(sha256Hex(big));
        }
    }

    @Test
    void noResumeSendsEveryByteEvenWhenTheReceiverHoldsHalf() throws Exception {
        long seed = TestSeeds.seed(15_003);
        Path big = TestFiles.randomFile(temp.resolve("big.bin"), SIZE_BYTES, new SplittableRandom(seed));
        Path out = temp.resolve("out");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", out.toString())) {
            killSendAtHalf(serve, big, out);

            JsonNode sent = sendJson(serve, big, "--no-resume");

            assertThat(sent.get("resumedFromBytes").asLong()).as("seed=%d", seed).isZero();
            assertThat(sent.get("movedBytes").asLong()).isEqualTo(SIZE_BYTES);
            awaitStored(out.resolve("big.bin"));
            assertThat(sha256Hex(out.resolve("big.bin"))).as("seed=%d", seed).isEqualTo(sha256Hex(big));
        }
    }

    /** Starts {@code udpix send BIG} in its own JVM and kills it (SIGKILL) once the partial holds half. */
    private long killSendAtHalf(BackgroundServe serve, Path big, Path out) throws Exception {
        try (CliProcess send = CliProcess.start(temp, List.of("-Xmx256m"), "send", big.toString(), "--to",
                serve.address(0), "--max-rate", RATE)) {
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long held = 0;
            while (held < SIZE_BYTES / 2) {
                assertThat(System.nanoTime()).as("the partial never reached half\n%s\nserver:\n%s",
                        send.transcript(), serve.err().text()).isLessThan(deadlineNs);
                assertThat(send.process().isAlive()).as("send ended before the kill\n%s", send.transcript())
                        .isTrue();
                Thread.sleep(5);
                held = partials(out).stream().mapToLong(ResumeSendTest::sizeOf).max().orElse(0);
            }
            send.process().destroyForcibly(); // SIGKILL: no CANCEL, no CLOSE reaches the server
            assertThat(send.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            return held;
        }
    }

    private static JsonNode sendJson(BackgroundServe serve, Path big, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("send", big.toString(), "--to", serve.address(0),
                "--format", "json"));
        args.addAll(List.of(extra));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("%s", result).isZero();
        for (String line : result.out()) {
            JsonNode node = JSON.readTree(line);
            if ("sent".equals(node.path("event").asText())) {
                return node;
            }
        }
        throw new AssertionError("no sent line: " + result);
    }

    private static List<Path> partials(Path out) throws IOException {
        Path dir = out.resolve(Partials.DIR_NAME);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // renamed or deleted meanwhile
        }
    }

    /** The sender is confirmed only after the final name exists; still, wait a moment for slow disks. */
    private static void awaitStored(Path file) throws InterruptedException {
        long deadlineNs = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadlineNs) {
            Thread.sleep(10);
        }
        assertThat(file).exists();
    }

    private static String sha256Hex(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
