package io.udpix.api;

import io.udpix.api.media.AdaptiveQuality;
import io.udpix.api.media.FrameScaler;
import io.udpix.api.media.JpegCodec;
import io.udpix.api.stream.StreamOptions;
import io.udpix.engine.stream.StreamStats;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes a stream's images as JPEG on the sending application's thread ({@link JpegCodec}: TurboJPEG where it is
 * installed, else ImageIO): scaled to the options' size, then to the rung {@link AdaptiveQuality} picks from the
 * connection's available rate and the frame rate (quality first, then size), or at the options' fixed quality.
 * One per stream; calls are serialised.
 */
final class FrameEncoder {
    private final StreamOptions options;
    private final AdaptiveQuality adaptive;
    private final FrameScaler toSize = new FrameScaler();
    private final FrameScaler toRung = new FrameScaler();
    private JpegCodec codec;
    private int quality;
    private int width;
    private int height;
    private boolean closed;

    FrameEncoder(StreamOptions options) {
        this.options = options;
        this.adaptive = options.adaptive() ? new AdaptiveQuality(options.quality()) : null;
        this.quality = options.quality();
    }

    /**
     * Encodes {@code image}, then lets the adaptive quality see its size against {@code stats}' available rate
     * (null before any figures).
     *
     * @throws UncheckedIOException when the codec fails (the message says why)
     * @throws IllegalStateException after {@link #close()}
     */
    synchronized byte[] encode(BufferedImage image, StreamStats stats) {
        if (closed) {
            throw new IllegalStateException("the stream is closed");
        }
        if (codec == null) {
            codec = JpegCodec.create(); // Loaded when first needed: a stream of encoded frames never needs it.
        }
        BufferedImage sized = options.width() == 0 ? image : toSize.scale(image, options.width(), options.height());
        AdaptiveQuality.Setting setting = adaptive == null ? null : adaptive.current();
        BufferedImage scaled = setting == null ? sized : toRung.scale(sized, setting);
        int q = setting == null ? options.quality() : setting.quality();
        byte[] jpeg;
        try {
            jpeg = codec.encode(scaled, q);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a frame as JPEG (" + codec.description() + "): "
                    + e.getMessage(), e);
        }
        quality = q;
        width = scaled.getWidth();
        height = scaled.getHeight();
        if (adaptive != null && stats != null) {
            adaptive.onFrame(jpeg.length, stats.availableRateBytesPerSecond(), options.fps());
        }
        return jpeg;
    }

    /** Which encoder runs (TurboJPEG or ImageIO, and why); loads it if no image was encoded yet. */
    synchronized String description() {
        if (codec == null && !closed) {
            codec = JpegCodec.create();
        }
        return codec == null ? "closed" : codec.description();
    }

    /** The quality of the last image. */
    synchronized int quality() {
        return quality;
    }

    /** Width and height of the last image. */
    synchronized int[] size() {
        return new int[] {width, height};
    }

    /** Frees the codec's native handles. */
    synchronized void close() {
        closed = true;
        if (codec != null) {
            codec.close();
            codec = null;
        }
    }
}
