package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import javax.imageio.ImageIO;

/** {@link ReceivedItem#decodeImage()} on items received over loopback, held in memory or saved to disk. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DecodeImageTest {

    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 48);
        g.setColor(Color.BLUE);
        g.fillRect(32, 0, 32, 48);
        g.dispose();
        return image;
    }

    @Test
    void pngAndJpegItemsInMemoryDecodeToTheirPictures() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).receiveQueue(8).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.image(picture(), "png"));
            client.send(Item.image(picture(), "jpg"));
            ReceivedItem png = server.receive(Duration.ofSeconds(10)).orElseThrow();
            ReceivedItem jpeg = server.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(png.savedPath()).isEmpty();
            assertPicture(png.decodeImage(), 0);
            assertPicture(jpeg.decodeImage(), 40);
        }
    }

    @Test
    void pngAndJpegItemsSavedToDiskDecodeToTheirPictures(@TempDir Path out) throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).receiveQueue(8).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.image(picture(), "png"));
            client.send(Item.image(picture(), "jpg"));
            ReceivedItem png = server.receive(Duration.ofSeconds(10)).orElseThrow();
            ReceivedItem jpeg = server.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(png.savedPath()).isPresent();
            assertThat(jpeg.savedPath()).isPresent();
            assertPicture(png.decodeImage(), 0);
            assertPicture(jpeg.decodeImage(), 40);
        }
    }

    @Test
    void aNonImageOrABrokenImageFailsWithAClearError(@TempDir Path out) throws Exception {
        byte[] jpeg = jpegBytes();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).receiveQueue(8).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes("just some text".getBytes(), "notes.txt"));
            client.send(Item.raw(ItemKind.IMAGE, "cut.jpg", "image/jpeg", Arrays.copyOf(jpeg, 40)));
            ReceivedItem text = server.receive(Duration.ofSeconds(10)).orElseThrow();
            ReceivedItem cut = server.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThatThrownBy(text::decodeImage).isInstanceOf(UdpixException.class)
                    .hasMessageContaining("'notes.txt'").hasMessageContaining("is not an image ImageIO can read")
                    .satisfies(e -> assertThat(((UdpixException) e).kind()).isEqualTo(UdpixException.Kind.INVALID_ITEM));
            assertThatThrownBy(cut::decodeImage).isInstanceOf(UdpixException.class)
                    .hasMessageContaining("'cut.jpg'").hasMessageContaining("does not decode as an image");
        }
    }

    private static byte[] jpegBytes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture(), "jpg", out);
        return out.toByteArray();
    }

    /** Red left half, blue right half, within {@code tolerance} per channel (JPEG is lossy). */
    private static void assertPicture(BufferedImage image, int tolerance) {
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(48);
        assertColor(image.getRGB(8, 24), 0xFF0000, tolerance);
        assertColor(image.getRGB(56, 24), 0x0000FF, tolerance);
    }

    private static void assertColor(int argb, int rgb, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int actual = (argb >> shift) & 0xFF;
            int expected = (rgb >> shift) & 0xFF;
            assertThat(Math.abs(actual - expected)).as("channel at bit %d of %06x", shift, argb & 0xFFFFFF)
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
