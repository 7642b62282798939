package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG through the JDK's ImageIO (TwelveMonkeys' reader when it is on the class path, for CMYK/YCCK): one writer
 * and one reader for the backend's life, memory-cached streams (ImageIO's default for streams is a temporary file).
 */
final class ImageIoJpegBackend implements JpegBackend {
    private final Rgb rgb = new Rgb();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
    private ImageWriter writer;
    private ImageWriteParam param;
    private ImageReader reader;

    @Override
    public byte[] encode(BufferedImage image, int quality) throws IOException {
        // The JDK writer takes opaque RGB or grey; alpha would make a 4-channel JPEG few programs read.
        BufferedImage source = image.getType() == BufferedImage.TYPE_INT_RGB
                || image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_BYTE_GRAY
                ? image : rgb.convert(image);
        if (writer == null) {
            writer = jdkWriter();
            param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        }
        param.setCompressionQuality(quality / 100f);
        out.reset();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(source, null, null), param);
        } finally {
            writer.setOutput(null);
        }
        return out.toByteArray();
    }

    @Override
    public BufferedImage decode(byte[] jpeg, int length, BufferedImage reuse) throws IOException {
        if (reader == null) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!readers.hasNext()) {
                throw new IOException("this JDK has no ImageIO JPEG reader");
            }
            reader = readers.next();
        }
        // {@code reuse} is ignored: decoding into a TYPE_INT_RGB destination measured twice as slow as letting the
        // reader make its own (3-byte BGR) image (MediaTimings), so the allocation is the cheaper side here.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg, 0, length))) {
            reader.setInput(in, true, true);
            return reader.read(0);
        } finally {
            reader.setInput(null);
        }
    }

    /** The JDK's own writer when present (TwelveMonkeys' wraps it), so output matches across installations. */
    private static ImageWriter jdkWriter() throws IOException {
        ImageWriter first = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().toLowerCase(Locale.ROOT).startsWith("com.sun.")) {
                return w;
            }
            if (first == null) {
                first = w;
            }
        }
        if (first == null) {
            throw new IOException("this JDK has no ImageIO JPEG writer");
        }
        return first;
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.dispose();
            writer = null;
        }
        if (reader != null) {
            reader.dispose();
            reader = null;
        }
    }
}
