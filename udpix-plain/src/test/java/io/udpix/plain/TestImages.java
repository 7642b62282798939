package io.udpix.plain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Real encoded images with random pixels (noise does not compress, so the size follows the dimensions). */
final class TestImages {
    private TestImages() {
    }

    /** An image encoded by ImageIO in {@code format} (png, jpg, gif, bmp). */
    static byte[] noise(String format, int width, int height, Random random) {
        int type = format.equals("gif") ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_INT_RGB;
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A minimal lossless WebP container (RIFF, WEBP, VP8L) followed by random bytes. */
    static byte[] webpLike(int length, Random random) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        System.arraycopy("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 4);
        int riffSize = length - 8;
        b[4] = (byte) riffSize;
        b[5] = (byte) (riffSize >> 8);
        b[6] = (byte) (riffSize >> 16);
        b[7] = (byte) (riffSize >> 24);
        System.arraycopy("WEBPVP8L".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 8, 8);
        return b;
    }
}
