package io.udpix.bench.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameSetTest {
    private final MessageDigest sha = FrameTag.sha256();

    @Test
    void findsAnImageByItsScanDataEvenWhenItsHeadersWereRebuilt() {
        FrameSet set = FrameSet.of(TestJpegs.jpeg(1), TestJpegs.jpeg(2), TestJpegs.jpeg(3));
        byte[] image = TestJpegs.jpeg(2);
        // What an RTP/JPEG depayloader does: other headers (here: the tag's COM added, JFIF APP0 kept), same scan.
        byte[] rebuilt = FrameTag.tag(image, 9, 9, sha);
        assertThat(set.indexOfScan(rebuilt, 0, rebuilt.length, sha)).isEqualTo(1);
        // ... and a missing trailing EOI, which depayloaders add back.
        assertThat(set.indexOfScan(image, 0, image.length - 2, sha)).isEqualTo(1);
    }

    @Test
    void aChangedScanByteMatchesNoImage() {
        FrameSet set = FrameSet.of(TestJpegs.jpeg(1), TestJpegs.jpeg(2));
        byte[] bad = TestJpegs.jpeg(1);
        bad[bad.length - 10] ^= 0x01;
        assertThat(set.indexOfScan(bad, 0, bad.length, sha)).isEqualTo(-1);
        assertThat(set.indexOfScan(new byte[10], 0, 10, sha)).isEqualTo(-1);
    }

    @Test
    void framesLoopOverTheImagesAndTheSizeComesFromTheSofMarker() {
        FrameSet set = FrameSet.of(TestJpegs.jpeg(1), TestJpegs.jpeg(2));
        assertThat(set.image(3)).isEqualTo(TestJpegs.jpeg(2));
        assertThat(set.dimensions()).containsExactly(64, 48);
        assertThat(set.maxBytes()).isEqualTo(Math.max(TestJpegs.jpeg(1).length, TestJpegs.jpeg(2).length));
        assertThat(Arrays.equals(set.image(0), set.image(2))).isTrue();
    }
}
