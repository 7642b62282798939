package io.udpix.api;

import io.udpix.api.stream.StreamOptions;
import io.udpix.engine.stream.StreamStats;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes a stream's images as JPEG on the sending application's thread: scaled to the options' size, at the
 * quality the connection's rate allows. One per stream; not thread-safe (the stream serialises calls).
 */
final class FrameEncoder {
    private final StreamOptions options;
    private int quality;
    private int width;
    private int height;

    FrameEncoder(StreamOptions options) {
        this.options = options;
        this.quality = options.quality();
    }

    /** Encodes {@code image}, first adjusting quality to {@code stats} (null before any figures). */
    synchronized byte[] encode(BufferedImage image, StreamStats stats) {
        BufferedImage scaled = scale(image);
        width = scaled.getWidth();
        height = scaled.getHeight();
        return jpeg(scaled, quality);
    }

    /** Which encoder runs. */
    String description() {
        return "ImageIO";
    }

    /** The quality of the next image. */
    synchronized int quality() {
        return quality;
    }

    /** Width and height of the last image. */
    synchronized int[] size() {
        return new int[] {width, height};
    }

    private BufferedImage scale(BufferedImage image) {
        int w = options.width();
        int h = options.height();
        if (w == 0 || (image.getWidth() == w && image.getHeight() == h)) {
            return image;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image, int quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a frame as JPEG: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
