package io.udpix.api.store;

import io.udpix.api.ImageInfo;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInspectorTest {

    /** A 1x1 lossless WebP (a widely used feature-detection sample). */
    private static final String WEBP_LOSSLESS_1X1 = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";
    /** A 1x1 lossy WebP (same source). */
    private static final String WEBP_LOSSY_1X1 = "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA";

    @TempDir
    Path dir;

    @Test
    void readsTheSizeAndFormatOfPngAndJpeg() throws IOException {
        assertThat(ImageInspector.inspect(encode(64, 48, "png"))).contains(new ImageInfo(64, 48, "png"));
        assertThat(ImageInspector.inspect(encode(30, 20, "jpg"))).contains(new ImageInfo(30, 20, "jpeg"));
    }

    @Test
    void readsImagesFromFiles() throws IOException {
        Path file = Files.write(dir.resolve("cat.png"), encode(12, 34, "png"));

        assertThat(ImageInspector.inspect(file)).contains(new ImageInfo(12, 34, "png"));
        assertThat(ImageInspector.decode(file)).hasValueSatisfying(image -> {
            assertThat(image.getWidth()).isEqualTo(12);
            assertThat(image.getRGB(5, 5) & 0xFFFFFF).isEqualTo(0xFF0000);
        });
    }

    @Test
    void decodesWebpThroughTwelveMonkeys() {
        assertThat(ImageIO.getImageReadersByFormatName("webp").hasNext()).as("WebP reader registered").isTrue();
        assertThat(ImageInspector.inspect(Base64.getDecoder().decode(WEBP_LOSSLESS_1X1)))
                .contains(new ImageInfo(1, 1, "webp"));
        assertThat(ImageInspector.inspect(Base64.getDecoder().decode(WEBP_LOSSY_1X1)))
                .contains(new ImageInfo(1, 1, "webp"));
    }

    @Test
    void findsNothingInBytesThatAreNotAnImage() throws IOException {
        byte[] png = encode(64, 48, "png");

        assertThat(ImageInspector.inspect(new byte[0])).isEmpty();
        assertThat(ImageInspector.inspect("just some text, named .jpg".getBytes())).isEmpty();
        assertThat(ImageInspector.inspect(Files.writeString(dir.resolve("fake.jpg"), "not a jpeg"))).isEmpty();
        assertThat(ImageInspector.inspect(dir.resolve("missing.png"))).isEmpty();
    }

    @Test
    void readsOnlyTheHeaderUnlessAskedToVerifyThePixels() throws IOException {
        byte[] truncated = Arrays.copyOf(encode(64, 48, "png"), 60);

        assertThat(ImageInspector.inspect(truncated)).contains(new ImageInfo(64, 48, "png"));
        assertThat(ImageInspector.verify(truncated)).isEmpty();
        assertThat(ImageInspector.verify(encode(64, 48, "png"))).contains(new ImageInfo(64, 48, "png"));
    }

    @Test
    void doesNotDecodeAnImageClaimingAbsurdlyManyPixels() throws IOException {
        byte[] bomb = withPngSize(encode(1, 1, "png"), 50_000, 50_000);

        assertThat(ImageInspector.inspect(bomb)).contains(new ImageInfo(50_000, 50_000, "png"));
        assertThat(ImageInspector.verify(bomb)).contains(new ImageInfo(50_000, 50_000, "png"));
        assertThat(ImageInspector.decode(bomb)).isEmpty();
    }

    private static byte[] encode(int widthPx, int heightPx, String format) throws IOException {
        BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, widthPx, heightPx);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    /** Rewrites the IHDR width and height of a PNG (and its CRC), as a hostile sender could. */
    private static byte[] withPngSize(byte[] png, int widthPx, int heightPx) {
        byte[] copy = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(copy);
        // 8-byte signature, 4-byte length, "IHDR", then width and height.
        buffer.putInt(16, widthPx).putInt(20, heightPx);
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 4 + 13);
        buffer.putInt(12 + 4 + 13, (int) crc.getValue());
        return copy;
    }
}
