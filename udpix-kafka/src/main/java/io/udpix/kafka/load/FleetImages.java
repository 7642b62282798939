package io.udpix.kafka.load;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The small images of the fleet load: one JPEG drawn once from a seed, and per item a copy with the item's id in a
 * JPEG comment segment (COM, ITU T.81 section B.2.4.5) right after SOI, so every item is a valid image with its own
 * bytes and SHA-256 (which is how the topic audit finds it) at the cost of a copy, not an encode.
 */
public final class FleetImages {

    private final byte[] base;

    /** A base JPEG of about {@code approxBytes} (noise sets the size), drawn from {@code seed}. */
    public FleetImages(int approxBytes, long seed) {
        this.base = draw(approxBytes, seed);
    }

    /** The base image's size in bytes. */
    public int baseBytes() {
        return base.length;
    }

    /** The base image with {@code id} (at most 200 bytes of UTF-8) in a comment segment. */
    public byte[] withId(String id) {
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        if (text.length > 200) {
            throw new IllegalArgumentException("item id longer than 200 bytes: " + id);
        }
        int segment = 2 + text.length; // the length field counts itself (T.81 B.1.1.4)
        byte[] out = new byte[base.length + 2 + segment];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8; // SOI
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xFE; // COM
        out[4] = (byte) (segment >>> 8);
        out[5] = (byte) segment;
        System.arraycopy(text, 0, out, 6, text.length);
        System.arraycopy(base, 2, out, 6 + text.length, base.length - 2);
        return out;
    }

    private static byte[] draw(int approxBytes, long seed) {
        Random random = new Random(seed);
        // Noise costs about one byte per pixel at ImageIO's default quality; a square of that many pixels.
        int side = Math.max(16, (int) Math.sqrt(Math.max(256, approxBytes)));
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            g.fillRect(0, 0, side, side);
        } finally {
            g.dispose();
        }
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (random.nextInt(3) == 0) {
                    image.setRGB(x, y, random.nextInt(0xFFFFFF));
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(approxBytes + 1024);
        try {
            if (!ImageIO.write(image, "jpg", out)) {
                throw new IllegalStateException("this JVM has no JPEG writer (ImageIO)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
