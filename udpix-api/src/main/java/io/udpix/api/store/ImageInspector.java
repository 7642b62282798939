package io.udpix.api.store;

import io.udpix.api.ImageInfo;
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
 * Reads received images with ImageIO (TwelveMonkeys adds CMYK/YCCK JPEG and WebP when on the class path) to learn
 * their size and to tell a real image from a file that only has an image's name: from the header alone
 * ({@link #inspect}, microseconds) or by decoding every pixel ({@link #verify}, milliseconds).
 */
public final class ImageInspector {

    /**
     * Images with more pixels are not decoded (a 100-byte PNG can claim 50,000 x 50,000 pixels, i.e. 10 GB of
     * memory): {@link #inspect} and {@link #verify} report their header size, {@link #decode} finds nothing.
     */
    public static final long MAX_DECODE_PIXELS = 40_000_000L;

    private ImageInspector() {
    }

    /** Size and format from the header of the image in {@code file}, empty when no reader understands it. */
    public static Optional<ImageInfo> inspect(Path file) {
        Objects.requireNonNull(file, "file");
        Optional<ImageInfo> quick = ImageHeaders.read(file);
        return quick.isPresent() ? quick : read(file, Depth.HEADER).map(Decoded::info);
    }

    /** Size and format from the header of the encoded image {@code bytes}, empty when no reader understands it. */
    public static Optional<ImageInfo> inspect(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Optional<ImageInfo> quick = ImageHeaders.read(bytes);
        return quick.isPresent() ? quick : read(bytes, Depth.HEADER).map(Decoded::info);
    }

    /** Size and format of the image in {@code file} if every pixel decodes, else empty. */
    public static Optional<ImageInfo> verify(Path file) {
        return read(file, Depth.PIXELS).map(Decoded::info);
    }

    /** Size and format of the encoded image {@code bytes} if every pixel decodes, else empty. */
    public static Optional<ImageInfo> verify(byte[] bytes) {
        return read(bytes, Depth.PIXELS).map(Decoded::info);
    }

    /** The decoded image in {@code file}, empty when it does not decode or is over {@link #MAX_DECODE_PIXELS}. */
    public static Optional<BufferedImage> decode(Path file) {
        return read(file, Depth.IMAGE).map(Decoded::image);
    }

    /** The decoded image, empty when {@code bytes} do not decode or it is over {@link #MAX_DECODE_PIXELS}. */
    public static Optional<BufferedImage> decode(byte[] bytes) {
        return read(bytes, Depth.IMAGE).map(Decoded::image);
    }

    private static Optional<Decoded> read(Path file, Depth depth) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return read(in, depth);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Decoded> read(byte[] bytes, Depth depth) {
        Objects.requireNonNull(bytes, "bytes");
        // A memory cache: ImageIO's default for streams is a temporary file per image.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return read(in, depth);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Tries each reader that claims the data (the JDK and TwelveMonkeys both claim JPEG; when one fails the other
     * may succeed).
     */
    private static Optional<Decoded> read(ImageInputStream in, Depth depth) throws IOException {
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
                if (depth == Depth.HEADER) {
                    return Optional.of(new Decoded(info, null));
                }
                if ((long) width * height > MAX_DECODE_PIXELS) {
                    // Too large to decode safely: verify reports the header's size, decode finds nothing.
                    return depth == Depth.IMAGE ? Optional.empty() : Optional.of(new Decoded(info, null));
                }
                BufferedImage image = reader.read(0);
                return Optional.of(new Decoded(info, depth == Depth.IMAGE ? image : null));
            } catch (IOException | RuntimeException e) {
                // Readers throw all sorts on corrupt input (IIOException, IndexOutOfBounds, ...): not an image
                // for this reader; try the next.
            } finally {
                reader.dispose();
            }
        }
        return Optional.empty();
    }

    /** How far to read: the header, every pixel (then dropped), or every pixel kept. */
    private enum Depth { HEADER, PIXELS, IMAGE }

    private record Decoded(ImageInfo info, BufferedImage image) {
    }
}
