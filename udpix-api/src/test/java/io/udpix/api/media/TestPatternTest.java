package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TestPatternTest {

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData().clone();
    }

    private static int[] region(BufferedImage image, Rectangle r) {
        return image.getRGB(r.x, r.y, r.width, r.height, null, 0, r.width);
    }

    @Test
    void drawingOnlyTheChangesGivesTheSameFrameAsAFreshPattern() {
        TestPattern used = new TestPattern(640, 360);
        for (int i = 0; i < 500; i++) {
            used.draw(i * 7L, 1_000L * i);
        }
        int[] incremental = pixels(used.draw(777, 123_456_789));
        int[] fresh = pixels(new TestPattern(640, 360).draw(777, 123_456_789));
        assertThat(Arrays.equals(incremental, fresh)).as("no trace of earlier frames is left").isTrue();
    }

    @Test
    void theFrameNumberAndTimeAreasChangeWithTheirValuesOnly() {
        TestPattern pattern = new TestPattern(1280, 720);
        Rectangle number = pattern.frameNumberArea();
        Rectangle time = pattern.captureTimeArea();
        int[] n1 = region(pattern.draw(1, 5_000), number);
        int[] t1 = region(pattern.image(), time);
        int[] n2 = region(pattern.draw(2, 5_000), number);
        int[] t2 = region(pattern.image(), time);
        assertThat(n2).isNotEqualTo(n1);
        assertThat(t2).as("same capture time, same digits").isEqualTo(t1);
        pattern.draw(2, 5_001);
        assertThat(region(pattern.image(), time)).isNotEqualTo(t2);
        assertThat(region(pattern.image(), number)).isEqualTo(n2);
    }

    @Test
    void theFrameNumberReadsBackFromALossyJpegAtEverySize() throws IOException {
        try (JpegCodec codec = JpegCodec.create()) {
            for (int[] size : new int[][] {{1920, 1080}, {1280, 720}, {320, 180}, {96, 72}}) {
                TestPattern pattern = new TestPattern(size[0], size[1]);
                for (long n : new long[] {0, 9, 12_345, 4_294_967_295L}) {
                    BufferedImage decoded = codec.decode(codec.encode(pattern.draw(n, n * 33), 50));
                    assertThat(pattern.readFrameNumber(decoded)).as("%dx%d frame %d (%s)", size[0], size[1], n,
                            codec.description()).hasValue(n);
                }
                assertThat(pattern.readFrameNumber(new BufferedImage(size[0], size[1],
                        BufferedImage.TYPE_INT_RGB))).as("a black frame has no number").isEmpty();
            }
        }
    }

    @Test
    void theMovingBarMovesBetweenFrames() {
        TestPattern pattern = new TestPattern(640, 360);
        int[] a = pixels(pattern.draw(10, 0));
        int[] b = pixels(pattern.draw(11, 0));
        int differing = 0;
        Rectangle number = pattern.frameNumberArea();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && !number.contains(i % 640, i / 640)) {
                differing++;
            }
        }
        assertThat(differing).as("pixels that changed outside the frame number").isGreaterThan(100);
    }

    @Test
    void drawsAndReadsBackAtExtremeAspectRatios() {
        for (int[] size : new int[][] {{96, 2000}, {4000, 72}, {97, 73}, {TestPattern.MAX_SIDE, 100}}) {
            TestPattern pattern = new TestPattern(size[0], size[1]);
            for (long n = 0; n < 300; n += 7) {
                pattern.draw(n, n);
            }
            assertThat(pattern.readFrameNumber(pattern.draw(4_294_967_295L, 0))).as("%dx%d", size[0], size[1])
                    .hasValue(4_294_967_295L);
        }
    }

    @Test
    void refusesSizesItCannotDrawAndFrameNumbersBeyondTheWires() {
        assertThatThrownBy(() -> new TestPattern(10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> new TestPattern(10_000, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TestPattern(200, 100).draw(1L << 32, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
