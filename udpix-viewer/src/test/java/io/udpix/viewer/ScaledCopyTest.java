package io.udpix.viewer;

import static io.udpix.viewer.ImageWallTest.solid;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ScaledCopyTest {

    @Test
    void reusesItsBufferForEveryFrameOfTheSameSizeSoAStreamAllocatesNothingPerFrame() {
        ScaledCopy copy = new ScaledCopy();
        BufferedImage first = copy.fit(solid(1920, 1080, 0xFF0000), 640, 480, true);
        BufferedImage second = copy.fit(solid(1920, 1080, 0x00FF00), 640, 480, true);

        assertThat(second).isSameAs(first);
        assertThat(second.getWidth()).isEqualTo(640);
        assertThat(second.getHeight()).isEqualTo(360);
        assertThat(second.getRGB(320, 180) & 0xFFFFFF).as("holds the newer frame").isEqualTo(0x00FF00);
    }

    @Test
    void scalesAgainOnlyWhenTheImageOrTheAreaChanged() {
        ScaledCopy copy = new ScaledCopy();
        BufferedImage source = solid(100, 50, 0xFF0000);
        BufferedImage scaled = copy.fit(source, 50, 50, false);
        source.setRGB(25, 12, 0x0000FF); // not seen: the copy of this image and size is kept
        assertThat(copy.fit(source, 50, 50, false).getRGB(12, 6) & 0xFFFFFF).isEqualTo(0xFF0000);

        copy.invalidate();
        assertThat(copy.fit(source, 50, 50, false)).isSameAs(scaled);
        assertThat(copy.fit(source, 80, 80, false).getWidth()).isEqualTo(80);
    }

    @Test
    void fitsTheLargestSizeWithTheSameShape() {
        assertThat(ScaledCopy.fitSize(1920, 1080, 800, 800)).containsExactly(800, 450);
        assertThat(ScaledCopy.fitSize(1080, 1920, 800, 800)).containsExactly(450, 800);
        assertThat(ScaledCopy.fitSize(10, 10, 0, 5)).isNull();
    }
}
