package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One frame from a {@link FrameSource}: either pixels ({@link #image()}, to be encoded) or an already-encoded JPEG
 * ({@link #jpeg()}, sent as it is), with when it was captured on two clocks: {@code captureNs} on
 * {@code System.nanoTime()} (the drivers' clock, what {@code Endpoint.sendFrame} takes) and {@code captureEpochMs}
 * on the wall clock (what people compare).
 *
 * @param image the pixels, or null when {@code jpeg} is set; a source may reuse it (valid until its next
 *        {@code next()})
 * @param jpeg the encoded JPEG, or null when {@code image} is set; never changed afterwards
 * @param width width in pixels, or -1 when a JPEG's header did not say
 * @param height height in pixels, or -1 when a JPEG's header did not say
 * @param captureNs capture time on {@code System.nanoTime()}
 * @param captureEpochMs capture time on the wall clock, ms since 1970 (UTC)
 */
public record SourceFrame(BufferedImage image, byte[] jpeg, int width, int height, long captureNs,
        long captureEpochMs) {

    /** Checks that exactly one of image and jpeg is set. */
    public SourceFrame {
        if ((image == null) == (jpeg == null)) {
            throw new IllegalArgumentException("a frame is either an image or JPEG bytes, exactly one of them");
        }
    }

    /** A frame of pixels. */
    public static SourceFrame ofImage(BufferedImage image, long captureNs, long captureEpochMs) {
        Objects.requireNonNull(image, "image");
        return new SourceFrame(image, null, image.getWidth(), image.getHeight(), captureNs, captureEpochMs);
    }

    /** An encoded JPEG frame; its size comes from its SOF header (-1 x -1 when it has none). */
    public static SourceFrame ofJpeg(byte[] jpeg, long captureNs, long captureEpochMs) {
        Objects.requireNonNull(jpeg, "jpeg");
        long size = JpegMarkers.dimensions(jpeg, jpeg.length);
        return new SourceFrame(null, jpeg, JpegMarkers.width(size), JpegMarkers.height(size), captureNs,
                captureEpochMs);
    }

    /** True when the frame is already a JPEG (send {@link #jpeg()} as it is; never re-encode it unasked). */
    public boolean isEncoded() {
        return jpeg != null;
    }

    @Override
    public String toString() {
        return (isEncoded() ? "JPEG " + jpeg.length + " bytes " : "image ") + width + "x" + height + " @"
                + captureEpochMs;
    }
}
