package io.udpix.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.TestSeeds;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlainFrameEncoderTest {

    @Test
    void aFrameTooLargeAtTheAskedQualityIsEncodedLowerUntilItFitsAndTheLowerQualityIsKept() throws Exception {
        long seed = TestSeeds.seed(61);
        BufferedImage noisy = noise(320, 240, new SplittableRandom(seed));
        try (PlainFrameEncoder full = new PlainFrameEncoder(95, Integer.MAX_VALUE, null);
             PlainFrameEncoder fitting = new PlainFrameEncoder(95, 0, null)) {
            int fullBytes = full.encode(noisy).length;
            int limit = fullBytes / 3;
            try (PlainFrameEncoder limited = new PlainFrameEncoder(95, limit, null)) {
                byte[] jpeg = limited.encode(noisy);
                assertThat(jpeg).as("seed=%d: %d bytes at 95 over a limit of %d", seed, fullBytes, limit).isNotNull();
                assertThat(jpeg.length).isLessThanOrEqualTo(limit);
                assertThat(limited.quality()).isLessThan(95);
                assertThat(limited.lowered()).isEqualTo(1);
                int kept = limited.quality();
                limited.encode(noisy);
                assertThat(limited.quality()).as("the next frame starts where the last one fitted").isEqualTo(kept);
                assertThat(limited.lowered()).isEqualTo(1);
            }
            assertThat(fitting.encode(noisy)).as("nothing fits 0 bytes: given up, not sent").isNull();
        }
    }

    @Test
    void theQualityGoesBackUpAfterFramesThatFitWithRoomToSpare() throws Exception {
        BufferedImage noisy = noise(160, 120, new SplittableRandom(TestSeeds.seed(62)));
        BufferedImage flat = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        try (PlainFrameEncoder probe = new PlainFrameEncoder(90, Integer.MAX_VALUE, null)) {
            int limit = probe.encode(noisy).length / 2;
            try (PlainFrameEncoder encoder = new PlainFrameEncoder(90, limit, null)) {
                encoder.encode(noisy);
                int lowered = encoder.quality();
                assertThat(lowered).isLessThan(90);
                for (int i = 0; i < PlainFrameEncoder.RAISE_AFTER_FRAMES; i++) {
                    encoder.encode(flat); // a flat frame is a small fraction of the limit
                }
                assertThat(encoder.quality()).isEqualTo(Math.min(90, lowered + 5));
            }
        }
    }

    @Test
    void framesAreScaledToTheAskedSize() throws Exception {
        try (PlainFrameEncoder encoder = new PlainFrameEncoder(85, Integer.MAX_VALUE, new int[] {64, 48})) {
            byte[] jpeg = encoder.encode(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB));
            BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getHeight()).isEqualTo(48);
        }
    }

    private static BufferedImage noise(int width, int height, SplittableRandom random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }
}
