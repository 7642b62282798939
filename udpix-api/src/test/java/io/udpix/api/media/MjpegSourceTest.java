package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.TestSeeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MjpegSourceTest {

    /** A stream that hands out its bytes in reads of 1..maxRead bytes, so frames straddle every read boundary. */
    private static final class ChoppyStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private final int maxRead;
        private int at;

        ChoppyStream(byte[] data, long seed, int maxRead) {
            this.data = data;
            this.random = new Random(seed);
            this.maxRead = maxRead;
        }

        @Override
        public int read() {
            return at < data.length ? data[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - at), 1 + random.nextInt(maxRead));
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }
    }

    private static List<byte[]> readAll(MjpegSource source) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (SourceFrame f = source.next(); f != null; f = source.next()) {
            assertThat(f.isEncoded()).isTrue();
            frames.add(f.jpeg());
        }
        return frames;
    }

    @Test
    void splitsConcatenatedJpegsByteExactKeepingAnExifThumbnailInsideItsFrame() throws IOException {
        long seed = TestSeeds.seed(11);
        byte[] a = TestJpegs.jpeg(320, 240, seed);
        byte[] thumbnail = TestJpegs.jpeg(32, 24, seed + 1);
        byte[] b = TestJpegs.withExifThumbnail(TestJpegs.jpeg(640, 480, seed + 2), thumbnail);
        byte[] c = TestJpegs.jpeg(160, 120, seed + 3);
        byte[] stream = TestJpegs.concat(a, b, c);

        for (int maxRead : new int[] {1, 7, 4096, 1 << 20}) {
            MjpegSource source = new MjpegSource(new ChoppyStream(stream, seed, maxRead), "test", 1 << 20);
            List<byte[]> frames = readAll(source);
            assertThat(frames).as("seed=%d maxRead=%d", seed, maxRead).containsExactly(a, b, c);
            assertThat(source.next()).as("after the end it stays ended").isNull();
            assertThat(source.stats()).isEqualTo(new MjpegSource.Stats(3, 0, 0, 0, 0));
        }
        // The frame with the thumbnail is a whole image of its own size, not the thumbnail.
        assertThat(ImageIO.read(new ByteArrayInputStream(b)).getWidth()).isEqualTo(640);
        assertThat(SourceFrame.ofJpeg(b, 0, 0).width()).isEqualTo(640);
        assertThat(SourceFrame.ofJpeg(b, 0, 0).height()).isEqualTo(480);
    }

    @Test
    void splitsProgressiveJpegsWhoseScansHaveTablesBetweenThem() throws IOException {
        long seed = TestSeeds.seed(12);
        byte[] p1 = TestJpegs.jpeg(TestJpegs.picture(300, 200, seed), 80, true);
        byte[] p2 = TestJpegs.jpeg(TestJpegs.picture(200, 300, seed + 1), 80, true);
        assertThat(countMarkers(p1, 0xDA)).as("progressive: several scans").isGreaterThan(1);
        MjpegSource source = new MjpegSource(new ChoppyStream(TestJpegs.concat(p1, p2), seed, 333), "test", 1 << 20);
        assertThat(readAll(source)).containsExactly(p1, p2);
    }

    @Test
    void treatsFillBytesStuffedBytesAndRestartMarkersAsPartOfTheFrame() throws IOException {
        // Hand-made structure: fill bytes before a marker (T.81 B.1.1.2), a COM segment whose payload holds FF D9
        // and FF D8, and entropy data with FF 00 (stuffing), FF D3 (RST3) and FF FF D5 (fill before RST5).
        byte[] frame = bytes(0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x08, 0xFF, 0xD9, 0xFF, 0xD8, 0x12, 0x34,
                0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02,
                0x11, 0xFF, 0x00, 0x22, 0xFF, 0xD3, 0x33, 0xFF, 0xFF, 0xD5, 0x44, 0xFF, 0x00,
                0xFF, 0xFF, 0xD9);
        byte[] stream = TestJpegs.concat(frame, frame);
        MjpegSource source = new MjpegSource(new ByteArrayInputStream(stream), "test", 1024);
        assertThat(readAll(source)).containsExactly(frame, frame);
        assertThat(source.stats().skippedFrames()).isZero();
        assertThat(source.stats().garbageBytes()).isZero();
    }

    @Test
    void skipsAndCountsGarbageBetweenFramesIncludingStrayMarkers() throws IOException {
        long seed = TestSeeds.seed(13);
        Random random = new Random(seed);
        byte[] a = TestJpegs.jpeg(200, 100, seed);
        byte[] b = TestJpegs.jpeg(100, 200, seed + 1);
        byte[] junk1 = bytes(0x00, 0xFF, 0xD9, 0xFF, 0x00, 0xFF, 0xFF, 0x42);
        byte[] junk2 = randomWithoutSoi(random, 5000);
        byte[] stream = TestJpegs.concat(junk1, a, junk2, b, junk1);
        MjpegSource source = new MjpegSource(new ChoppyStream(stream, seed, 999), "test", 1 << 20);
        assertThat(readAll(source)).as("seed=%d", seed).containsExactly(a, b);
        assertThat(source.stats().garbageBytes()).as("seed=%d", seed)
                .isEqualTo(2L * junk1.length + junk2.length);
        assertThat(source.stats().skippedFrames()).isZero();
    }

    @Test
    void countsATruncatedTailAndThenReportsTheEndOfInput() throws IOException {
        byte[] a = TestJpegs.jpeg(200, 100, 1);
        byte[] b = TestJpegs.jpeg(200, 100, 2);
        byte[] c = TestJpegs.jpeg(200, 100, 3);
        byte[] stream = TestJpegs.concat(a, b, Arrays.copyOf(c, c.length / 2));
        MjpegSource source = new MjpegSource(new ByteArrayInputStream(stream), "test", 1 << 20);
        assertThat(source.next().jpeg()).isEqualTo(a);
        assertThat(source.next().jpeg()).isEqualTo(b);
        assertThat(source.next()).isNull();
        assertThat(source.stats()).isEqualTo(new MjpegSource.Stats(2, 0, 0, 1, 0));
    }

    @Test
    void dropsAFrameCutShortByTheNextStartOfImage() throws IOException {
        byte[] a = TestJpegs.jpeg(200, 100, 4);
        byte[] b = TestJpegs.jpeg(200, 100, 5);
        // Cut inside a's entropy data (past its header), as a camera that lost bytes would.
        byte[] stream = TestJpegs.concat(Arrays.copyOf(a, a.length - 100), b);
        MjpegSource source = new MjpegSource(new ByteArrayInputStream(stream), "test", 1 << 20);
        assertThat(readAll(source)).containsExactly(b);
        assertThat(source.stats().truncatedFrames()).isEqualTo(1);
    }

    @Test
    void skipsAFrameOverTheLimitAndKeepsTheFramesAround() throws IOException {
        byte[] small1 = TestJpegs.jpeg(64, 48, 6);
        byte[] big = TestJpegs.jpeg(1024, 768, 7);
        byte[] small2 = TestJpegs.jpeg(64, 48, 8);
        int limit = Math.max(small1.length, small2.length) + 16;
        assertThat(big.length).isGreaterThan(limit);
        MjpegSource source = new MjpegSource(new ChoppyStream(TestJpegs.concat(small1, big, small2), 9, 5000),
                "test", limit);
        assertThat(readAll(source)).containsExactly(small1, small2);
        assertThat(source.stats()).isEqualTo(new MjpegSource.Stats(2, 0, 1, 0, 0));
    }

    @Test
    void aFrameOfExactlyTheLimitIsKept() throws IOException {
        byte[] a = TestJpegs.jpeg(64, 48, 10);
        MjpegSource source = new MjpegSource(new ByteArrayInputStream(a), "test", a.length);
        assertThat(readAll(source)).containsExactly(a);
        MjpegSource tooSmall = new MjpegSource(new ByteArrayInputStream(a), "test", a.length - 1);
        assertThat(readAll(tooSmall)).isEmpty();
        assertThat(tooSmall.stats().oversizedFrames()).isEqualTo(1);
    }

    @Test
    void resynchronisesAfterAMalformedHeader() throws IOException {
        byte[] a = TestJpegs.jpeg(64, 48, 11);
        // SOI, then a byte that is not a marker: not a JPEG; the next real frame still comes through.
        byte[] stream = TestJpegs.concat(bytes(0xFF, 0xD8, 0x12, 0x34), a);
        MjpegSource source = new MjpegSource(new ByteArrayInputStream(stream), "test", 1 << 20);
        assertThat(readAll(source)).containsExactly(a);
        assertThat(source.stats().malformedFrames()).isEqualTo(1);
    }

    @Test
    void refusesInputThatHoldsNoJpegWithAClearError() {
        byte[] notMjpeg = new byte[5000];
        Arrays.fill(notMjpeg, (byte) 'x');
        MjpegSource source = new MjpegSource(new ByteArrayInputStream(notMjpeg), "standard input", 1000);
        assertThatThrownBy(source::next).isInstanceOf(IOException.class)
                .hasMessageContaining("standard input does not look like an MJPEG stream")
                .hasMessageContaining("-f mjpeg");
    }

    @Test
    void randomMixesOfFramesAndJunkYieldExactlyTheWholeFrames() throws IOException {
        long seed = TestSeeds.seed(14);
        Random random = new Random(seed);
        byte[][] pool = {TestJpegs.jpeg(64, 48, seed), TestJpegs.jpeg(96, 64, seed + 1),
            TestJpegs.withExifThumbnail(TestJpegs.jpeg(80, 60, seed + 2), TestJpegs.jpeg(16, 12, seed + 3))};
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            List<byte[]> expected = new ArrayList<>();
            long junkBytes = 0;
            for (int i = 0; i < 6; i++) {
                if (random.nextBoolean()) {
                    byte[] junk = randomWithoutSoi(random, random.nextInt(300));
                    stream.writeBytes(junk);
                    junkBytes += junk.length;
                }
                byte[] frame = pool[random.nextInt(pool.length)];
                stream.writeBytes(frame);
                expected.add(frame);
            }
            MjpegSource source = new MjpegSource(new ChoppyStream(stream.toByteArray(), seed + round, 700),
                    "test", 1 << 20);
            assertThat(readAll(source)).as("seed=%d round=%d (re-run with -Dudpix.seed=%d)", seed, round, seed)
                    .containsExactlyElementsOf(expected);
            assertThat(source.stats().garbageBytes()).as("seed=%d round=%d", seed, round).isEqualTo(junkBytes);
        }
    }

    /** Random bytes that hold no FF D8 and do not end in FF (so they cannot start a frame with what follows). */
    private static byte[] randomWithoutSoi(Random random, int length) {
        byte[] junk = new byte[length];
        random.nextBytes(junk);
        for (int i = 0; i < length; i++) {
            boolean ffHere = junk[i] == (byte) 0xFF;
            if (ffHere && (i == length - 1 || junk[i + 1] == (byte) 0xD8)) {
                junk[i] = 0x7F;
            }
        }
        return junk;
    }

    private static int countMarkers(byte[] jpeg, int code) {
        int n = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xFF && (jpeg[i + 1] & 0xFF) == code) {
                n++;
            }
        }
        return n;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
