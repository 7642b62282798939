package io.udpix.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Seeded test content: images (PNG, JPEG) and random files, and SHA-256 of files. */
public final class TestFiles {

    private TestFiles() {
    }

    /** A {@code width}x{@code height} image with random blocks and noise, encoded as {@code format}. */
    public static byte[] image(String format, int width, int height, SplittableRandom random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 20; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width),
                    1 + random.nextInt(height));
        }
        g.dispose();
        for (int i = 0; i < width * height / 8; i++) {
            image.setRGB(random.nextInt(width), random.nextInt(height), random.nextInt(0x1000000));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, bytes)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@link #image} to {@code dir/name}. */
    public static Path imageFile(Path dir, String name, int width, int height, SplittableRandom random)
            throws IOException {
        String format = name.substring(name.lastIndexOf('.') + 1);
        return Files.write(dir.resolve(name), image(format.equals("jpg") ? "jpeg" : format, width, height, random));
    }

    /** {@code lengthBytes} random bytes. */
    public static byte[] bytes(int lengthBytes, SplittableRandom random) {
        byte[] bytes = new byte[lengthBytes];
        for (int i = 0; i < lengthBytes; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** Writes {@code lengthBytes} random bytes to {@code file}, 1 MiB at a time (never the whole file in memory). */
    public static Path randomFile(Path file, long lengthBytes, SplittableRandom random) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < lengthBytes; written += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long value = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        block[i + j] = (byte) (value >>> (8 * j));
                    }
                }
                out.write(block, 0, (int) Math.min(block.length, lengthBytes - written));
            }
        }
        return file;
    }

    /** SHA-256 of a file, streamed. */
    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            try (var in = Files.newInputStream(file)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
