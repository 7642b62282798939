package io.udpix.cli.send;

import io.udpix.cli.CliException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * {@code --resize} and {@code --quality}: decodes an image with ImageIO, shrinks it so its longer side fits, and
 * encodes it again (as JPEG at the given quality when {@code --quality} is set, else in its own format).
 */
final class ImageReencoder {

    /** Images with more pixels are refused before decoding: 40 Mpx as ARGB is 160 MB of heap. */
    static final long MAX_PIXELS = 40_000_000L;
    /** JPEG quality when only {@code --resize} asks for a re-encode of a JPEG. */
    static final int DEFAULT_JPEG_QUALITY = 90;
    /** Halvings before the last bilinear step; bounds the loop (2^30 is more than any side). */
    private static final int MAX_HALVINGS = 30;

    private ImageReencoder() {
    }

    /** The re-encoded image. */
    record Encoded(String name, byte[] bytes, int width, int height, String format) {
    }

    /**
     * Re-encodes {@code file}, or returns empty when it is not an image ImageIO can read (it is then sent as is).
     *
     * @param maxSidePx longest side in pixels after resizing, or null to keep the size
     * @param quality   JPEG quality 1..100 (forces JPEG), or null
     * @throws CliException (bad usage) when the image is too large to decode or cannot be encoded
     */
    static Optional<Encoded> reencode(Path file, Integer maxSidePx, Integer quality) throws IOException {
        BufferedImage image;
        String sourceFormat;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw CliException.badUsage(file + " is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, more than --resize/--quality decode (" + MAX_PIXELS / 1_000_000
                            + " Mpx); send it without them, or shrink it first");
                }
                sourceFormat = reader.getFormatName().toLowerCase(Locale.ROOT);
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        }
        BufferedImage resized = maxSidePx == null ? image : shrink(image, maxSidePx);
        boolean jpeg = quality != null || sourceFormat.equals("jpeg") || sourceFormat.equals("jpg");
        String format = jpeg ? "jpeg" : writable(sourceFormat) ? sourceFormat : "png";
        byte[] bytes = jpeg ? jpeg(resized, quality == null ? DEFAULT_JPEG_QUALITY : quality) : encode(resized, format);
        if (bytes == null) {
            // E.g. GIF cannot take a true-colour image: PNG keeps every pixel.
            format = "png";
            bytes = encode(resized, format);
        }
        if (bytes == null) {
            throw CliException.badUsage("cannot encode " + file + " again after --resize/--quality; send it "
                    + "without them");
        }
        return Optional.of(new Encoded(renamed(file, format), bytes, resized.getWidth(), resized.getHeight(),
                format));
    }

    /** Scales {@code image} down so its longer side is at most {@code maxSidePx}; never enlarges. */
    static BufferedImage shrink(BufferedImage image, int maxSidePx) {
        int width = image.getWidth();
        int height = image.getHeight();
        int longer = Math.max(width, height);
        if (longer <= maxSidePx) {
            return image;
        }
        double scale = (double) maxSidePx / longer;
        int targetWidth = Math.max(1, (int) Math.round(width * scale));
        int targetHeight = Math.max(1, (int) Math.round(height * scale));
        BufferedImage current = image;
        // One bilinear step from far away skips pixels and aliases; halving first keeps every pixel's share.
        for (int i = 0; i < MAX_HALVINGS && current.getWidth() / 2 >= targetWidth
                && current.getHeight() / 2 >= targetHeight; i++) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        return draw(current, targetWidth, targetHeight);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height) {
        boolean alpha = source.getColorModel().hasAlpha();
        BufferedImage target = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static byte[] jpeg(BufferedImage image, int quality) throws IOException {
        BufferedImage rgb = image;
        if (image.getColorModel().hasAlpha() || image.getType() != BufferedImage.TYPE_INT_RGB) {
            // JPEG has no alpha: flatten onto white, as viewers show transparency.
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            try {
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, image.getWidth(), image.getHeight());
                g.drawImage(image, 0, 0, null);
            } finally {
                g.dispose();
            }
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            return null;
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        return ImageIO.write(image, format, bytes) ? bytes.toByteArray() : null;
    }

    private static boolean writable(String format) {
        return ImageIO.getImageWritersByFormatName(format).hasNext();
    }

    /** The file's name with the extension of {@code format} when it had another one. */
    static String renamed(Path file, String format) {
        String name = file.getFileName() == null ? "image" : file.getFileName().toString();
        String extension = format.equals("jpeg") ? "jpg" : format;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String current = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        boolean same = current.equals(extension) || (extension.equals("jpg") && current.equals("jpeg"));
        return same ? name : stem + "." + extension;
    }
}
