package io.udpix.api.store;

import io.udpix.api.ImageInfo;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageHeadersTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSameSizeAsImageIoForPngJpegAndGif() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (String format : new String[] {"png", "jpg", "gif"}) {
            for (int i = 0; i < 5; i++) {
                int width = 1 + random.nextInt(700);
                int height = 1 + random.nextInt(700);
                byte[] image = encode(width, height, format);
                String expectedFormat = format.equals("jpg") ? "jpeg" : format;

                assertThat(ImageHeaders.read(image)).as("seed=%d %s %dx%d", seed, format, width, height)
                        .contains(new ImageInfo(width, height, expectedFormat));
                Path file = Files.write(dir.resolve("i" + i + "." + format), image);
                assertThat(ImageHeaders.read(file)).as("seed=%d file %s", seed, format)
                        .contains(new ImageInfo(width, height, expectedFormat));
            }
        }
    }

    @Test
    void walksPastLargeSegmentsAndFillBytesBeforeTheJpegFrameHeader() throws IOException {
        byte[] jpeg = encode(321, 123, "jpg");
        // FF D8, then a 60,000-byte APP1 (like a big EXIF block) and two fill bytes, then the original segments.
        byte[] app1 = new byte[2 + 60_000];
        app1[0] = (byte) 0xFF;
        app1[1] = (byte) 0xE1;
        app1[2] = (byte) (60_000 >> 8);
        app1[3] = (byte) (60_000 & 0xFF);
        byte[] withApp1 = new byte[jpeg.length + app1.length + 2];
        System.arraycopy(jpeg, 0, withApp1, 0, 2);
        System.arraycopy(app1, 0, withApp1, 2, app1.length);
        withApp1[2 + app1.length] = (byte) 0xFF;
        withApp1[3 + app1.length] = (byte) 0xFF;
        System.arraycopy(jpeg, 2, withApp1, 4 + app1.length, jpeg.length - 2);

        assertThat(ImageHeaders.read(withApp1)).contains(new ImageInfo(321, 123, "jpeg"));
        assertThat(ImageHeaders.read(Files.write(dir.resolve("exif.jpg"), withApp1)))
                .contains(new ImageInfo(321, 123, "jpeg"));
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(withApp1)).getWidth()).isEqualTo(321);
    }

    @Test
    void recognisesNothingInTextTruncatedHeadersOrZeroSizes() throws IOException {
        byte[] png = encode(64, 48, "png");
        byte[] jpeg = encode(64, 48, "jpg");
        byte[] zeroWidthPng = Arrays.copyOf(png, png.length);
        Arrays.fill(zeroWidthPng, 16, 20, (byte) 0);

        assertThat(ImageHeaders.read(new byte[0])).isEmpty();
        assertThat(ImageHeaders.read("GIF8 not really".getBytes())).isEmpty();
        assertThat(ImageHeaders.read(Arrays.copyOf(png, 20))).isEmpty();
        assertThat(ImageHeaders.read(Arrays.copyOf(jpeg, 40))).isEmpty();
        assertThat(ImageHeaders.read(zeroWidthPng)).isEmpty();
        assertThat(ImageHeaders.read(dir.resolve("missing.png"))).isEmpty();
    }

    @Test
    void reportsNoSizeForAPngHeaderThatImageIoRejects() throws IOException {
        // Found by ImageHeadersFuzzTest: an IHDR whose length field was not 13 got a size ImageIO refuses.
        byte[] png = encode(3, 2, "png");
        assertThat(ImageHeaders.read(png)).contains(new ImageInfo(3, 2, "png"));
        // {index, value}: IHDR length 269, bit depth 3, colour type 5, compression 1, filter 1, interlace 2.
        int[][] corruptions = {{10, 0x01}, {24, 3}, {25, 5}, {26, 1}, {27, 1}, {28, 2}};
        for (int[] corruption : corruptions) {
            byte[] bad = png.clone();
            bad[corruption[0]] = (byte) corruption[1];
            assertThat(ImageHeaders.read(bad)).as("byte %d = %d", corruption[0], corruption[1]).isEmpty();
        }
    }

    @Test
    void stopsOnAJpegThatIsOnlyEmptySegments() {
        // FF D8 followed by thousands of 2-byte-length COM segments and no frame header.
        byte[] endless = new byte[2 + 4 * 10_000];
        endless[0] = (byte) 0xFF;
        endless[1] = (byte) 0xD8;
        for (int i = 2; i < endless.length; i += 4) {
            endless[i] = (byte) 0xFF;
            endless[i + 1] = (byte) 0xFE;
            endless[i + 2] = 0;
            endless[i + 3] = 2;
        }

        assertThat(ImageHeaders.read(endless)).isEmpty();
    }

    private static byte[] encode(int widthPx, int heightPx, String format) throws IOException {
        BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }
}
