package io.udpix.bench.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JpegSplitterTest {
    private record Piece(byte[] bytes, long arrivalUs, boolean complete) {
    }

    private final List<Piece> pieces = new ArrayList<>();
    private final JpegSplitter splitter = new JpegSplitter(1 << 20, (b, t, c) -> pieces.add(new Piece(b, t, c)));
    private final MessageDigest sha = FrameTag.sha256();

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void splitsConcatenatedFramesFedInRandomReadSizesIntoTheExactFrames() {
        long seed = Long.getLong("udpix.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(FrameTag.tag(TestJpegs.jpeg(i), i, 1000 + i, sha));
        }
        byte[] stream = concat(frames.toArray(new byte[0][]));
        for (int off = 0; off < stream.length; ) {
            int n = Math.min(stream.length - off, 1 + random.nextInt(3000));
            splitter.feed(stream, off, n, off);
            off += n;
        }
        assertThat(pieces).as("seed=%d (re-run with -Dudpix.seed=%d)", seed, seed).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(pieces.get(i).complete()).isTrue();
            assertThat(pieces.get(i).bytes()).as("frame %d, seed=%d", i, seed).isEqualTo(frames.get(i));
        }
    }

    @Test
    void aFrameIsHandedOverWithTheArrivalTimeOfTheReadThatEndedIt() {
        byte[] frame = TestJpegs.jpeg(1);
        splitter.feed(frame, 0, frame.length - 1, 10);
        assertThat(pieces).isEmpty();
        splitter.feed(frame, frame.length - 1, 1, 20);
        assertThat(pieces).hasSize(1);
        assertThat(pieces.get(0).arrivalUs()).isEqualTo(20);
    }

    @Test
    void anEoiPatternInsideTheTagOrTablesDoesNotEndTheFrame() {
        byte[] frame = TestJpegs.jpeg(2);
        // A COM segment full of FF D9 pairs, as a binary hash may hold.
        byte[] com = new byte[4 + 40];
        com[0] = (byte) 0xff;
        com[1] = (byte) 0xfe;
        com[3] = 42;
        for (int i = 4; i < com.length; i += 2) {
            com[i] = (byte) 0xff;
            com[i + 1] = (byte) 0xd9;
        }
        byte[] withCom = concat(Arrays.copyOf(frame, 2), com, Arrays.copyOfRange(frame, 2, frame.length));
        splitter.feed(withCom, 0, withCom.length, 1);
        assertThat(pieces).hasSize(1);
        assertThat(pieces.get(0).bytes()).isEqualTo(withCom);
    }

    @Test
    void aFrameCutShortByTheNextSoiIsHandedOverIncompleteAndTheNextIsWhole() {
        byte[] a = TestJpegs.jpeg(3);
        byte[] b = TestJpegs.jpeg(4);
        byte[] cut = Arrays.copyOf(a, a.length / 2 + 7);
        byte[] stream = concat(cut, b);
        splitter.feed(stream, 0, stream.length, 5);
        assertThat(pieces).hasSize(2);
        assertThat(pieces.get(0).complete()).isFalse();
        assertThat(pieces.get(1).complete()).isTrue();
        assertThat(pieces.get(1).bytes()).isEqualTo(b);
    }

    @Test
    void bytesBetweenFramesAreSkippedAndCounted() {
        byte[] a = TestJpegs.jpeg(5);
        byte[] stream = concat(new byte[] {0, 1, 2, '\r', '\n'}, a, new byte[] {'\r', '\n', 0, 0}, a);
        splitter.feed(stream, 0, stream.length, 5);
        assertThat(pieces).hasSize(2);
        assertThat(pieces.get(0).bytes()).isEqualTo(a);
        assertThat(pieces.get(1).bytes()).isEqualTo(a);
        assertThat(splitter.discardedBytes()).isEqualTo(9);
    }

    @Test
    void aRunOfBytesLongerThanTheLimitIsDroppedAndTheSplitterRecovers() {
        List<Piece> got = new ArrayList<>();
        JpegSplitter small = new JpegSplitter(4096, (b, t, c) -> got.add(new Piece(b, t, c)));
        byte[] endless = new byte[20_000];
        endless[0] = (byte) 0xff;
        endless[1] = (byte) 0xd8;
        endless[2] = (byte) 0xff;
        endless[3] = (byte) 0xda;
        endless[4] = 0;
        endless[5] = 2; // SOS header, then entropy data without an end
        byte[] a = TestJpegs.jpeg(6);
        byte[] stream = concat(endless, a);
        small.feed(stream, 0, stream.length, 1);
        assertThat(got.get(got.size() - 1).bytes()).isEqualTo(a);
        assertThat(got.get(got.size() - 1).complete()).isTrue();
    }
}
