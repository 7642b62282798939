package io.udpix.api.store;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes received images with ImageIO (TwelveMonkeys adds CMYK/YCCK JPEG and WebP when on the class path) to
 * learn their size and to tell a real image from a file that only has an image's name.
 */
public final class ImageInspector {

    /**
     * Images with more pixels are not decoded (a 100-byte PNG can claim 50,000 x 50,000 pixels, i.e. 10 GB of
     * memory): {@link #inspect} reports their header size, {@link #decode} finds nothing.
     */
    public static final long MAX_DECODE_PIXELS = 40_000_000L;

    private ImageInspector() {
    }

    /** Size and format of the image in {@code file}, empty when it does not decode. */
    public static Optional<ImageInfo> inspect(Path file) {
        return read(file, false).map(Decoded::info);
    }

    /** Size and format of the encoded image {@code bytes}, empty when they do not decode. */
    public static Optional<ImageInfo> inspect(byte[] bytes) {
        return read(bytes, false).map(Decoded::info);
    }

    /** The decoded image in {@code file}, empty when it does not decode or is over {@link #MAX_DECODE_PIXELS}. */
    public static Optional<BufferedImage> decode(Path file) {
        return read(file, true).map(Decoded::image);
    }

    /** The decoded image, empty when {@code bytes} do not decode or it is over {@link #MAX_DECODE_PIXELS}. */
    public static Optional<BufferedImage> decode(byte[] bytes) {
        return read(bytes, true).map(Decoded::image);
    }

    private static Optional<Decoded> read(Path file, boolean needImage) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return read(in, needImage);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Decoded> read(byte[] bytes, boolean needImage) {
        Objects.requireNonNull(bytes, "bytes");
        // A memory cache: ImageIO's default for streams is a temporary file per image.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return read(in, needImage);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Tries each reader that claims the data (the JDK and TwelveMonkeys both claim JPEG; when one fails the other
     * may succeed).
     */
    private static Optional<Decoded> read(ImageInputStream in, boolean needImage) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                in.seek(0);
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    continue;
                }
                ImageInfo info = new ImageInfo(width, height, reader.getFormatName().toLowerCase(Locale.ROOT));
                if ((long) width * height > MAX_DECODE_PIXELS) {
                    return needImage ? Optional.empty() : Optional.of(new Decoded(info, null));
                }
                BufferedImage image = reader.read(0);
                return Optional.of(new Decoded(info, needImage ? image : null));
            } catch (IOException | RuntimeException e) {
                // Readers throw all sorts on corrupt input (IIOException, IndexOutOfBounds, ...): not an image
                // for this reader; try the next.
            } finally {
                reader.dispose();
            }
        }
        return Optional.empty();
    }

    private record Decoded(ImageInfo info, BufferedImage image) {
    }
}
