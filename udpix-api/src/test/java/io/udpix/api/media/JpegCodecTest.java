package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JpegCodecTest {

    /** Mean absolute difference per channel between two images of one size (0 = identical, 255 = opposite). */
    static double meanError(BufferedImage a, BufferedImage b) {
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    /**
     * Mean absolute difference between a grey image's stored samples and another image's (its samples if grey, else
     * its red channel). Not getRGB: Java maps TYPE_BYTE_GRAY's samples through a linear-to-sRGB curve there, while
     * a JPEG's grey samples are the bytes themselves.
     */
    static double greyError(BufferedImage grey, BufferedImage other) {
        long sum = 0;
        boolean otherGrey = other.getType() == BufferedImage.TYPE_BYTE_GRAY;
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                int a = grey.getRaster().getSample(x, y, 0);
                int b = otherGrey ? other.getRaster().getSample(x, y, 0) : (other.getRGB(x, y) >> 16) & 0xFF;
                sum += Math.abs(a - b);
            }
        }
        return sum / (double) (grey.getWidth() * grey.getHeight());
    }

    private static void roundTrips(JpegCodec codec) throws IOException {
        BufferedImage original = new TestPattern(640, 360).draw(4242, 1_000_000);
        byte[] jpeg = codec.encode(original, 90);
        assertThat(jpeg[0] & 0xFF).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xFF).isEqualTo(0xD8);
        BufferedImage decoded = codec.decode(jpeg);
        assertThat(meanError(original, decoded)).as(codec.description()).isLessThan(4.0);
        assertThat(new TestPattern(640, 360).readFrameNumber(decoded)).hasValue(4242);
        // Lower quality, smaller frame.
        assertThat(codec.encode(original, 30).length).isLessThan(jpeg.length);
    }

    @Test
    void imageIoRoundTripsAPictureCloseToTheOriginal() throws IOException {
        try (JpegCodec codec = JpegCodec.create(JpegCodec.Backend.IMAGEIO)) {
            assertThat(codec.backend()).isEqualTo(JpegCodec.Backend.IMAGEIO);
            assertThat(codec.description()).startsWith("ImageIO");
            roundTrips(codec);
        }
    }

    @Test
    void turboJpegRoundTripsAPictureCloseToTheOriginalWhereInstalled() throws IOException {
        assumeTrue(JpegCodec.turboJpegAvailable(), () -> "TurboJPEG not here: " + JpegCodec.turboJpegProblem());
        try (JpegCodec codec = JpegCodec.create(JpegCodec.Backend.TURBOJPEG)) {
            assertThat(codec.description()).startsWith("TurboJPEG").contains("libjpeg-turbo");
            roundTrips(codec);
        }
        try (JpegCodec auto = JpegCodec.create()) {
            assertThat(auto.backend()).as("auto picks TurboJPEG where it loads").isEqualTo(JpegCodec.Backend.TURBOJPEG);
        }
    }

    @Test
    void eachBackendDecodesTheOthersJpegs() throws IOException {
        assumeTrue(JpegCodec.turboJpegAvailable(), () -> "TurboJPEG not here: " + JpegCodec.turboJpegProblem());
        BufferedImage original = TestJpegs.picture(333, 211, 5);
        try (JpegCodec turbo = JpegCodec.create(JpegCodec.Backend.TURBOJPEG);
                JpegCodec imageIo = JpegCodec.create(JpegCodec.Backend.IMAGEIO)) {
            assertThat(meanError(original, imageIo.decode(turbo.encode(original, 92)))).isLessThan(4.0);
            assertThat(meanError(original, turbo.decode(imageIo.encode(original, 92)))).isLessThan(4.0);
        }
    }

    @Test
    void autoFallsBackToImageIoAndSaysWhatToInstallWhenTurboJpegIsMissing() throws Exception {
        List<String> lines = runCodecMain("-Dudpix.turbojpeg.jar=/nonexistent/turbojpeg.jar");
        assertThat(lines.get(0)).startsWith("IMAGEIO|ImageIO (").contains("libturbojpeg-java");
        assertThat(lines.get(1)).isEqualTo("320");
        List<String> forced = runCodecMain("-Dudpix.jpeg=imageio");
        assertThat(forced.get(0)).isEqualTo("IMAGEIO|ImageIO (chosen by -Dudpix.jpeg=imageio)");
    }

    private static List<String> runCodecMain(String property) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", property, "-cp",
                System.getProperty("java.class.path"), CodecDescriptionMain.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void encodesImagesOfAnyTypeIncludingAlphaGreyIndexedAndSubImages() throws IOException {
        BufferedImage rgb = TestJpegs.picture(120, 80, 3);
        for (JpegCodec.Backend backend : backendsHere()) {
            try (JpegCodec codec = JpegCodec.create(backend)) {
                for (int type : new int[] {BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR,
                    BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_USHORT_565_RGB,
                    BufferedImage.TYPE_BYTE_INDEXED}) {
                    BufferedImage converted = new BufferedImage(120, 80, type);
                    converted.getGraphics().drawImage(rgb, 0, 0, null);
                    BufferedImage back = codec.decode(codec.encode(converted, 95));
                    // An indexed image is dithered: high-frequency noise that JPEG smooths away, so more error.
                    double allowed = type == BufferedImage.TYPE_BYTE_INDEXED ? 14.0 : 6.0;
                    assertThat(meanError(converted, back)).as("%s type %d", backend, type).isLessThan(allowed);
                }
                BufferedImage grey = new BufferedImage(120, 80, BufferedImage.TYPE_BYTE_GRAY);
                grey.getGraphics().drawImage(rgb, 0, 0, null);
                assertThat(greyError(grey, codec.decode(codec.encode(grey, 95)))).as("%s grey", backend)
                        .isLessThan(4.0);
                BufferedImage big = TestJpegs.picture(400, 300, 4);
                BufferedImage sub = big.getSubimage(50, 60, 120, 80);
                assertThat(meanError(sub, codec.decode(codec.encode(sub, 95)))).as("%s sub-image", backend)
                        .isLessThan(4.0);
            }
        }
    }

    @Test
    void turboJpegDecodesIntoTheGivenImageWhenItFits() throws IOException {
        for (JpegCodec.Backend backend : backendsHere()) {
            try (JpegCodec codec = JpegCodec.create(backend)) {
                byte[] jpeg = codec.encode(TestJpegs.picture(160, 120, 6), 85);
                BufferedImage reuse = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
                BufferedImage decoded = codec.decode(jpeg, jpeg.length, reuse);
                if (backend == JpegCodec.Backend.TURBOJPEG) {
                    assertThat(decoded).isSameAs(reuse);
                } else {
                    assertThat(decoded.getWidth()).as("ImageIO makes its own image").isEqualTo(160);
                }
                BufferedImage wrongSize = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
                BufferedImage fresh = codec.decode(jpeg, jpeg.length, wrongSize);
                assertThat(fresh).isNotSameAs(wrongSize);
                assertThat(fresh.getWidth()).isEqualTo(160);
            }
        }
    }

    @Test
    void refusesBadQualityBytesThatAreNotAJpegAndUseAfterClose() throws IOException {
        for (JpegCodec.Backend backend : backendsHere()) {
            JpegCodec codec = JpegCodec.create(backend);
            BufferedImage image = TestJpegs.picture(32, 32, 1);
            assertThatThrownBy(() -> codec.encode(image, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1..100");
            assertThatThrownBy(() -> codec.decode(new byte[] {1, 2, 3, 4, 5})).as(backend.name())
                    .isInstanceOf(IOException.class);
            codec.close();
            assertThatThrownBy(() -> codec.encode(image, 50)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theDefaultBackendChoiceHonoursTheProperty() {
        String before = System.getProperty(JpegCodec.BACKEND_PROPERTY);
        try {
            System.setProperty(JpegCodec.BACKEND_PROPERTY, "imageio");
            try (JpegCodec codec = JpegCodec.create()) {
                assertThat(codec.backend()).isEqualTo(JpegCodec.Backend.IMAGEIO);
            }
            System.setProperty(JpegCodec.BACKEND_PROPERTY, "gif");
            assertThatThrownBy(JpegCodec::create).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use auto, turbojpeg or imageio");
        } finally {
            if (before == null) {
                System.clearProperty(JpegCodec.BACKEND_PROPERTY);
            } else {
                System.setProperty(JpegCodec.BACKEND_PROPERTY, before);
            }
        }
    }

    static List<JpegCodec.Backend> backendsHere() {
        return JpegCodec.turboJpegAvailable() ? List.of(JpegCodec.Backend.TURBOJPEG, JpegCodec.Backend.IMAGEIO)
                : List.of(JpegCodec.Backend.IMAGEIO);
    }
}
