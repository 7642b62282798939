package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFileExactlyInOrderWithRetransmissionsInterleavedAndAcrossReadAheadBoundaries() throws Exception {
        readsExactly(3 * FileSource.READ_AHEAD_BYTES + 12_345, -1);
    }

    @Test
    void aSmallFilesReadAheadIsSizedToTheFileAndStillReadsEveryByte() throws Exception {
        readsExactly(32_768 + 17, 32_768 + 17);
        // A buffer smaller than the file (it grew after it was measured) only means more refills.
        readsExactly(32_768 + 17, 5_000);
    }

    /** Reads a random file of {@code sizeBytes} through a source told it has {@code toldBytes} (-1: not told). */
    private void readsExactly(int sizeBytes, long toldBytes) throws Exception {
        long seed = TestSeeds.seed(41);
        Random random = new Random(seed);
        byte[] content = new byte[sizeBytes];
        random.nextBytes(content);
        Path file = Files.write(dir.resolve("f.bin"), content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileSource source = toldBytes < 0 ? new FileSource(channel) : new FileSource(channel, toldBytes);
            long next = 0;
            int guard = 0;
            while (next < content.length && guard++ < 100_000) {
                boolean retransmit = next > 0 && random.nextInt(10) == 0;
                long offset = retransmit ? random.nextLong(next) : next;
                int length = (int) Math.min(1 + random.nextInt(3000), content.length - offset);
                ByteBuffer dst = ByteBuffer.allocate(length + 8).position(8);
                int n = source.read(offset, dst);

                assertThat(n).as("seed=%d offset=%d", seed, offset).isPositive().isLessThanOrEqualTo(length);
                assertThat(dst.position()).isEqualTo(8 + n);
                assertThat(Arrays.copyOfRange(dst.array(), 8, 8 + n)).as("seed=%d offset=%d", seed, offset)
                        .isEqualTo(Arrays.copyOfRange(content, (int) offset, (int) offset + n));
                if (!retransmit) {
                    next += n;
                }
            }
            assertThat(next).isEqualTo(content.length);
            assertThat(source.read(content.length, ByteBuffer.allocate(10))).isZero();
        }
    }
}
