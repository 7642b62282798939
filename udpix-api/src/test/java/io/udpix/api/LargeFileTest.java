package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50 MiB file, streamed end to end and checked by SHA-256.
 *
 * <p>Why the heap stays bounded whatever the size: the client hashes the file through one 64 KiB buffer
 * ({@code Sha256.ofFile}) and sends it with positional reads from a FileChannel ({@code FileSource}), so a lost
 * chunk is read again from disk rather than kept; the engine holds at most its in-flight window; the server's
 * engine reassembles into one ring of at most {@code transferWindowBytes} (8 MiB) per item, under an endpoint-wide
 * budget, and its sink ({@code FileItemSink}) writes each in-order run straight to the temporary file. No
 * whole-file buffer exists on either side.
 */
class LargeFileTest {
    private static final long SIZE_BYTES = 50L << 20;

    @TempDir
    Path dir;

    @Test
    void streamsAFiftyMebibyteFileWithAMatchingSha256() throws Exception {
        long seed = TestSeeds.seed(31);
        Path source = TestData.randomFile(dir.resolve("dataset.bin"), SIZE_BYTES, seed);
        String expectedSha = TestData.sha256(source);
        AtomicLong lastProgress = new AtomicLong(-1);
        Path out = dir.resolve("out");
        SendResult result;
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            result = client.send(Item.file(source), (done, total) -> lastProgress.set(done));
        }
        Path saved = out.resolve("dataset.bin");
        assertThat(Files.size(saved)).isEqualTo(SIZE_BYTES);
        assertThat(TestData.sha256(saved)).as("seed=%d", seed).isEqualTo(expectedSha);
        assertThat(result.sha256Hex()).isEqualTo(expectedSha);
        assertThat(result.sizeBytes()).isEqualTo(SIZE_BYTES);
        assertThat(result.rateBytesPerSecond()).isPositive();
        assertThat(lastProgress.get()).isEqualTo(SIZE_BYTES);
        assertThat(TestData.partFiles(out)).isEmpty();
    }
}
