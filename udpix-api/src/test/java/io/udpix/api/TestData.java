package io.udpix.api;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Seeded test content: random files and bytes, drawn images, and independent SHA-256s to check against. */
final class TestData {
    private TestData() {
    }

    /** {@code sizeBytes} random bytes from {@code seed}. */
    static byte[] randomBytes(int sizeBytes, long seed) {
        byte[] bytes = new byte[sizeBytes];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code sizeBytes} random bytes from {@code seed} to {@code path}, 1 MiB at a time. */
    static Path randomFile(Path path, long sizeBytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long done = 0; done < sizeBytes; done += block.length) {
                random.nextBytes(block);
                out.write(ByteBuffer.wrap(block, 0, (int) Math.min(block.length, sizeBytes - done)));
            }
        }
        return path;
    }

    /** A {@code width} x {@code height} RGB image of random rectangles from {@code seed}. */
    static BufferedImage image(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 20; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width),
                    1 + random.nextInt(height));
        }
        g.dispose();
        return image;
    }

    /** {@code image} encoded as PNG. */
    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Whether two images have the same size and pixels. */
    static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** SHA-256 hex of {@code bytes}, computed without the code under test. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** SHA-256 hex of {@code file}, streamed, computed without the code under test. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Names of the files in {@code dir}, sorted. */
    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Names of the files in {@code dir} that are not hidden (the store's lock and temporary files are). */
    static List<String> visibleFiles(Path dir) throws IOException {
        return fileNames(dir).stream().filter(n -> !n.startsWith(".")).collect(Collectors.toList());
    }

    /** Names of the leftover temporary files in {@code dir}. */
    static List<String> partFiles(Path dir) throws IOException {
        return fileNames(dir).stream().filter(n -> n.endsWith(".part")).collect(Collectors.toList());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
