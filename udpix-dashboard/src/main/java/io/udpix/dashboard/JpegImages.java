package io.udpix.dashboard;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The latest image of a port as JPEG for {@code /api/latest/PORT.jpg}: a JPEG as it came, anything else decoded
 * and encoded once (on the HTTP thread that first asks, never on the server's threads) and cached by its seq.
 * Holds one JPEG per port.
 */
final class JpegImages {
    /** Largest image decoded for transcoding, in pixels (a 4-byte-per-pixel buffer of 200 MB at most). */
    static final long MAX_PIXELS = 50_000_000L;
    /** JPEGs cached over all ports at most; beyond it other ports' are let go (made again when asked for). */
    static final long MAX_CACHED_BYTES = 64L << 20;
    private static final float QUALITY = 0.85f;

    /** A JPEG to serve, or the status and text to answer instead. */
    record Result(int status, byte[] jpeg, String message) {
        static Result ok(byte[] jpeg) {
            return new Result(200, jpeg, null);
        }

        static Result error(int status, String message) {
            return new Result(status, null, message);
        }
    }

    private record Cached(long seq, byte[] jpeg) {}

    private final Map<Integer, Cached> cache = new ConcurrentHashMap<>();
    private final Map<Integer, Object> locks = new ConcurrentHashMap<>();

    /** The JPEG of {@code image}, made at most once per seq (concurrent asks for it wait for the first). */
    Result jpeg(LatestImage image) {
        Cached hit = cache.get(image.port());
        if (hit != null && hit.seq() == image.seq()) {
            return Result.ok(hit.jpeg());
        }
        synchronized (locks.computeIfAbsent(image.port(), p -> new Object())) {
            hit = cache.get(image.port());
            if (hit != null && hit.seq() == image.seq()) {
                return Result.ok(hit.jpeg());
            }
            Result made = make(image);
            if (made.status() == 200) {
                cache.put(image.port(), new Cached(image.seq(), made.jpeg()));
                trim(image.port());
            }
            return made;
        }
    }

    /** Keeps the cache within {@link #MAX_CACHED_BYTES}, letting go of other ports' JPEGs first. */
    private void trim(int keepPort) {
        long total = 0;
        for (Cached c : cache.values()) {
            total += c.jpeg().length;
        }
        for (Integer port : cache.keySet()) {
            if (total <= MAX_CACHED_BYTES) {
                return;
            }
            if (port != keepPort) {
                Cached gone = cache.remove(port);
                total -= gone == null ? 0 : gone.jpeg().length;
            }
        }
    }

    private static Result make(LatestImage image) {
        String what = "the latest image on port " + image.port() + " ('" + image.name() + "')";
        if (image.item() == null) {
            return Result.error(413, what + " is " + image.sizeBytes() + " bytes, above the dashboard's limit of "
                    + DashboardFeed.MAX_IMAGE_BYTES + " bytes; find it in the server's output directory");
        }
        byte[] bytes;
        try {
            bytes = read(image);
        } catch (IOException e) {
            return Result.error(404, what + " can no longer be read (" + e.getMessage() + "); it may have been "
                    + "moved or deleted");
        }
        if (bytes == null) {
            return Result.error(413, what + " grew above the dashboard's limit of " + DashboardFeed.MAX_IMAGE_BYTES
                    + " bytes");
        }
        if (image.isJpeg() || isJpeg(bytes)) {
            return Result.ok(bytes);
        }
        try {
            return transcode(bytes, what);
        } catch (IOException | RuntimeException e) {
            return Result.error(415, what + " cannot be shown as JPEG: " + e.getMessage());
        }
    }

    private static byte[] read(LatestImage image) throws IOException {
        if (image.item().bytes().isPresent()) {
            return image.item().bytes().get();
        }
        Path path = image.item().savedPath().orElseThrow(() -> new IOException("neither in memory nor saved"));
        if (Files.size(path) > DashboardFeed.MAX_IMAGE_BYTES) {
            return null;
        }
        return Files.readAllBytes(path);
    }

    /** JPEG's SOI marker and the first marker's 0xFF (ITU T.81 section B.1.1.2). */
    static boolean isJpeg(byte[] bytes) {
        return bytes.length > 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8
                && (bytes[2] & 0xFF) == 0xFF;
    }

    private static Result transcode(byte[] bytes, String what) throws IOException {
        BufferedImage decoded;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Result.error(415, what + " is in a format ImageIO does not read; it cannot be shown");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    return Result.error(413, what + " has " + pixels + " pixels, above the " + MAX_PIXELS
                            + " the dashboard decodes; find it in the server's output directory");
                }
                decoded = reader.read(0);
            } finally {
                reader.dispose();
            }
        }
        // JPEG has no alpha: draw onto white, as a page background would show a transparent image.
        BufferedImage rgb = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(decoded, 0, 0, null);
        } finally {
            g.dispose();
        }
        return Result.ok(encode(rgb));
    }

    private static byte[] encode(BufferedImage rgb) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
