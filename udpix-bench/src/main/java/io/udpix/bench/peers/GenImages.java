package io.udpix.bench.peers;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes the JPEGs of scenarios 4 and 5: {@code count} distinct images of {@code width} x {@code height}
 * (gradients plus seeded noise, so they neither compress to nothing nor repeat), with the JPEG quality chosen
 * once so the first image is close to {@code targetBytes}.
 *
 * <pre>java -cp udpix-bench.jar io.udpix.bench.peers.GenImages DIR COUNT WIDTH HEIGHT TARGET_BYTES SEED</pre>
 * Files are named img-000000.jpg...; existing files are kept, so a second run costs nothing.
 */
public final class GenImages {
    private GenImages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: GenImages DIR COUNT WIDTH HEIGHT TARGET_BYTES SEED");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        int target = Integer.parseInt(args[4]);
        long seed = Long.parseLong(args[5]);
        Files.createDirectories(dir);
        float quality = chooseQuality(picture(width, height, seed), target);
        long total = 0;
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve(String.format("img-%06d.jpg", i));
            if (!Files.exists(file)) {
                Files.write(file, jpeg(picture(width, height, seed + i), quality));
            }
            total += Files.size(file);
        }
        System.out.printf("%d JPEGs of %dx%d in %s, %.1f KB on average (quality %.2f)%n", count, width, height, dir,
                total / 1024.0 / count, quality);
    }

    static BufferedImage picture(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int fx = 1 + random.nextInt(5);
        int fy = 1 + random.nextInt(5);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width * fx + random.nextInt(48)) & 0xff;
                int g = (y * 255 / height * fy + random.nextInt(48)) & 0xff;
                int b = ((x + y) * 127 / (width + height) + random.nextInt(48)) & 0xff;
                row[x] = (r << 16) | (g << 8) | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** Bisects the JPEG quality so the encoded size is about {@code targetBytes}. */
    static float chooseQuality(BufferedImage image, int targetBytes) throws IOException {
        float low = 0.05f;
        float high = 1.0f;
        for (int i = 0; i < 12; i++) {
            float mid = (low + high) / 2;
            if (jpeg(image, mid).length > targetBytes) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return (low + high) / 2;
    }

    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
