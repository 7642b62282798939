package io.udpix.bench.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameTagTest {
    private final MessageDigest sha = FrameTag.sha256();

    @Test
    void aTaggedFrameReadsBackItsSequenceCaptureTimeAndIsIntact() {
        byte[] tagged = FrameTag.tag(TestJpegs.jpeg(1), 123_456, 1_765_000_000_123_456L, sha);
        FrameTag.Reading r = FrameTag.read(tagged, 0, tagged.length, sha);
        assertThat(r.tagged()).isTrue();
        assertThat(r.sequence()).isEqualTo(123_456);
        assertThat(r.captureUs()).isEqualTo(1_765_000_000_123_456L);
        assertThat(r.intact()).isTrue();
    }

    @Test
    void aTaggedFrameIsStillAJpegThatDecodes() throws Exception {
        byte[] tagged = FrameTag.tag(TestJpegs.jpeg(2), 7, 99, sha);
        assertThat(tagged.length).isEqualTo(TestJpegs.jpeg(2).length + FrameTag.SEGMENT_BYTES);
        assertThat(ImageIO.read(new ByteArrayInputStream(tagged)).getWidth()).isEqualTo(64);
    }

    @Test
    void anyChangedByteAfterTheTagMakesTheFrameNotIntact() {
        byte[] tagged = FrameTag.tag(TestJpegs.jpeg(3), 1, 2, sha);
        for (int i : new int[] {2 + FrameTag.SEGMENT_BYTES, tagged.length / 2, tagged.length - 1}) {
            byte[] bad = tagged.clone();
            bad[i] ^= 0x01;
            assertThat(FrameTag.read(bad, 0, bad.length, sha).intact()).as("byte %d flipped", i).isFalse();
        }
    }

    @Test
    void aTruncatedFrameIsNotIntact() {
        byte[] tagged = FrameTag.tag(TestJpegs.jpeg(4), 1, 2, sha);
        assertThat(FrameTag.read(tagged, 0, tagged.length - 100, sha).intact()).isFalse();
    }

    @Test
    void aChangedCaptureTimeMakesTheFrameNotIntact() {
        byte[] tagged = FrameTag.tag(TestJpegs.jpeg(5), 1, 2, sha);
        tagged[2 + 4 + 8 + 1 + 4 + 7] ^= 0x10; // last byte of the capture time
        assertThat(FrameTag.read(tagged, 0, tagged.length, sha).intact()).isFalse();
    }

    @Test
    void aJpegWithoutTheTagReadsAsUntaggedAndNeverThrows() {
        byte[] plain = TestJpegs.jpeg(6);
        assertThat(FrameTag.read(plain, 0, plain.length, sha).tagged()).isFalse();
        assertThat(FrameTag.read(new byte[3], 0, 3, sha).tagged()).isFalse();
        assertThat(FrameTag.read(new byte[100], 0, 100, sha).tagged()).isFalse();
    }

    @Test
    void readsATagAtAnOffsetInsideALargerBuffer() {
        byte[] tagged = FrameTag.tag(TestJpegs.jpeg(7), 42, 43, sha);
        byte[] big = new byte[tagged.length + 20];
        System.arraycopy(tagged, 0, big, 10, tagged.length);
        FrameTag.Reading r = FrameTag.read(big, 10, tagged.length, sha);
        assertThat(r.intact()).isTrue();
        assertThat(r.sequence()).isEqualTo(42);
    }

    @Test
    void refusesToTagBytesThatAreNotAJpeg() {
        assertThatThrownBy(() -> FrameTag.tag(new byte[] {1, 2, 3, 4, 5}, 1, 1, sha))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SOI");
    }
}
