package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class FrameScalerTest {
    private static final AdaptiveQuality.Setting HALF = new AdaptiveQuality.Setting(30, 1, 2);
    private static final AdaptiveQuality.Setting THREE_QUARTERS = new AdaptiveQuality.Setting(30, 3, 4);

    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        BufferedImage image = TestJpegs.picture(322, 242, 1);
        BufferedImage half = new FrameScaler().scale(image, HALF);
        assertThat(half.getWidth()).isEqualTo(160);
        assertThat(half.getHeight()).isEqualTo(120);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    int sum = 0;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            sum += (image.getRGB(2 * x + dx, 2 * y + dy) >> shift) & 0xFF;
                        }
                    }
                    int got = (half.getRGB(x, y) >> shift) & 0xFF;
                    assertThat(Math.abs(got - sum / 4.0)).as("(%d,%d) channel at bit %d", x, y, shift)
                            .isLessThanOrEqualTo(1.0);
                }
            }
        }
    }

    @Test
    void threeQuartersKeepsFlatColoursExactAndLooksLikeJava2dBilinear() {
        BufferedImage flat = new BufferedImage(400, 300, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                flat.setRGB(x, y, 0xFF123456);
            }
        }
        BufferedImage scaled = new FrameScaler().scale(flat, THREE_QUARTERS);
        assertThat(scaled.getWidth()).isEqualTo(300);
        assertThat(scaled.getHeight()).isEqualTo(224);
        assertThat(scaled.getRGB(0, 0)).isEqualTo(0xFF123456);
        assertThat(scaled.getRGB(299, 223)).isEqualTo(0xFF123456);

        BufferedImage picture = new TestPattern(640, 360).draw(77, 0);
        BufferedImage fast = new FrameScaler().scale(picture, THREE_QUARTERS);
        BufferedImage java2d = new FrameScaler().scale(picture, fast.getWidth(), fast.getHeight());
        assertThat(JpegCodecTest.meanError(fast, java2d)).isLessThan(4.0);
    }

    @Test
    void oddSizesOtherTypesAndFullSizeAllWork() {
        FrameScaler scaler = new FrameScaler();
        BufferedImage odd = TestJpegs.picture(1366, 767, 2);
        BufferedImage scaled = scaler.scale(odd, THREE_QUARTERS);
        assertThat(scaled.getWidth()).isEqualTo(1024);
        assertThat(scaled.getHeight()).isEqualTo(574);
        BufferedImage bgr = new BufferedImage(200, 100, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage viaJava2d = scaler.scale(bgr, HALF);
        assertThat(viaJava2d.getWidth()).isEqualTo(100);
        assertThat(viaJava2d.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(scaler.scale(odd, new AdaptiveQuality.Setting(80, 1, 1))).isSameAs(odd);
    }
}
