package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * JPEG encode and decode for frame streams: libjpeg-turbo's TurboJPEG where it is installed (1080p in a few ms),
 * else the JDK's ImageIO (about 4x slower), and {@link #description()} says which. Choose with
 * {@code -Dudpix.jpeg=auto|turbojpeg|imageio} (default auto).
 *
 * <p>Thread-safe: each instance serialises its encodes (and, separately, its decodes) on its own native handles and
 * buffers, so one instance per encoding thread runs them in parallel. Buffers are reused between frames; only the
 * returned array or image is new. Close it to free the native handles.
 */
public final class JpegCodec implements AutoCloseable {
    /** Which implementation a codec uses. */
    public enum Backend {
        /** libjpeg-turbo's TurboJPEG Java binding (Debian libturbojpeg-java + libturbojpeg0-dev). */
        TURBOJPEG,
        /** The JDK's javax.imageio JPEG writer and reader. */
        IMAGEIO
    }

    /** The quality used when none is given: visually clean, about 1.6 bits per pixel for camera images. */
    public static final int DEFAULT_QUALITY = 85;
    /** The property that forces a backend: auto (default), turbojpeg or imageio. */
    public static final String BACKEND_PROPERTY = "udpix.jpeg";

    private final Backend backend;
    private final String description;
    private final JpegBackend impl;
    private final Object encodeLock = new Object();
    private final Object decodeLock = new Object();
    private ImageIoJpegBackend fallbackDecoder;
    private volatile boolean closed;

    private JpegCodec(Backend backend, String description, JpegBackend impl) {
        this.backend = backend;
        this.description = description;
        this.impl = impl;
    }

    /** The fastest codec here, unless {@code -Dudpix.jpeg} asks for one (an unknown value is a clear error). */
    public static JpegCodec create() {
        String asked = System.getProperty(BACKEND_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        switch (asked) {
            case "auto":
            case "":
                TurboJpegLibrary tj = TurboJpegLibrary.get();
                return tj != null ? turbo(tj) : imageIo("ImageIO (" + TurboJpegLibrary.failure() + ")");
            case "turbojpeg":
            case "turbo":
                return create(Backend.TURBOJPEG);
            case "imageio":
                return imageIo("ImageIO (chosen by -D" + BACKEND_PROPERTY + "=imageio)");
            default:
                throw new IllegalArgumentException("unknown JPEG backend -D" + BACKEND_PROPERTY + "=" + asked
                        + "; use auto, turbojpeg or imageio");
        }
    }

    /**
     * A codec on {@code backend}.
     *
     * @throws IllegalStateException for TURBOJPEG when it is not installed or does not load (the message says why
     *         and what to install)
     */
    public static JpegCodec create(Backend backend) {
        if (backend == Backend.IMAGEIO) {
            return imageIo("ImageIO");
        }
        TurboJpegLibrary tj = TurboJpegLibrary.get();
        if (tj == null) {
            throw new IllegalStateException(TurboJpegLibrary.failure());
        }
        return turbo(tj);
    }

    /** True when TurboJPEG is installed and loads in this JVM. */
    public static boolean turboJpegAvailable() {
        return TurboJpegLibrary.get() != null;
    }

    /** Why TurboJPEG is not used here, with the fix; empty when it is available. */
    public static Optional<String> turboJpegProblem() {
        return Optional.ofNullable(TurboJpegLibrary.failure());
    }

    private static JpegCodec turbo(TurboJpegLibrary tj) {
        return new JpegCodec(Backend.TURBOJPEG, tj.description, new TurboJpegBackend(tj));
    }

    private static JpegCodec imageIo(String description) {
        return new JpegCodec(Backend.IMAGEIO, description, new ImageIoJpegBackend());
    }

    /** The implementation in use. */
    public Backend backend() {
        return backend;
    }

    /**
     * Which implementation is in use, for people: "TurboJPEG 2.1.5 (libjpeg-turbo)", or "ImageIO (...)" with why
     * TurboJPEG is not used and how to get it.
     */
    public String description() {
        return description;
    }

    /**
     * {@code image} as a baseline JPEG with 4:2:0 chroma (grey images stay grey) at {@code quality} (1..100). Alpha
     * is dropped. Any image type works; the common ones (INT_RGB, INT_ARGB, 3BYTE_BGR, BYTE_GRAY) are read in place.
     */
    public byte[] encode(BufferedImage image, int quality) throws IOException {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, not " + quality);
        }
        synchronized (encodeLock) {
            checkOpen();
            return impl.encode(image, quality);
        }
    }

    /** {@code jpeg} decoded into a new TYPE_INT_RGB image (ImageIO may pick another type for odd JPEGs). */
    public BufferedImage decode(byte[] jpeg) throws IOException {
        return decode(jpeg, jpeg.length, null);
    }

    /**
     * The first {@code length} bytes of {@code jpeg} decoded: with TurboJPEG into {@code reuse} when it is a
     * TYPE_INT_RGB image of the JPEG's size (a viewer's frame buffer: no allocation per frame), else into a new
     * image (ImageIO always makes a new one, of the reader's choosing: decoding into an int image is twice as slow
     * there). A JPEG TurboJPEG cannot read (CMYK, say) is tried once more with ImageIO.
     *
     * @throws IOException when the bytes are not a JPEG either backend can decode
     */
    public BufferedImage decode(byte[] jpeg, int length, BufferedImage reuse) throws IOException {
        if (length < 0 || length > jpeg.length) {
            throw new IllegalArgumentException("length " + length + " outside the array's " + jpeg.length + " bytes");
        }
        synchronized (decodeLock) {
            checkOpen();
            try {
                BufferedImage image = impl.decode(jpeg, length, reuse);
                if (image == null) {
                    throw new IOException("not a JPEG image (" + length + " bytes)");
                }
                return image;
            } catch (IOException e) {
                if (backend != Backend.TURBOJPEG) {
                    throw e;
                }
                if (fallbackDecoder == null) {
                    fallbackDecoder = new ImageIoJpegBackend();
                }
                try {
                    BufferedImage image = fallbackDecoder.decode(jpeg, length, reuse);
                    if (image != null) {
                        return image;
                    }
                } catch (IOException | RuntimeException second) {
                    e.addSuppressed(second);
                }
                throw e;
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this JpegCodec is closed");
        }
    }

    /** Frees the native handles and buffers; encode and decode fail afterwards. */
    @Override
    public void close() {
        closed = true;
        synchronized (encodeLock) {
            synchronized (decodeLock) {
                impl.close();
                if (fallbackDecoder != null) {
                    fallbackDecoder.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "JpegCodec[" + description + "]";
    }
}
