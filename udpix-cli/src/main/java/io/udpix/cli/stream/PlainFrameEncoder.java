package io.udpix.cli.stream;

import io.udpix.api.media.FrameScaler;
import io.udpix.api.media.JpegCodec;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Encodes the frames of {@code udpix stream --plain} as JPEGs that fit one datagram: at the quality in use, and when
 * a frame comes out larger than {@code maxBytes} (65,507: the largest UDP payload over IPv4) again at lower
 * qualities (10 points a step, then 5 below 10) until it fits; the quality stays there for the next frames and goes
 * back up 5 points after {@link #RAISE_AFTER_FRAMES} frames in a row that fit with a fifth to spare. A frame that
 * does not fit even at quality {@link #MIN_QUALITY} is given up (null). Not thread-safe: the sending thread's.
 */
final class PlainFrameEncoder implements AutoCloseable {
    /** The lowest quality tried before a frame is given up. */
    static final int MIN_QUALITY = 5;
    /** Frames in a row with room to spare before the quality is raised again. */
    static final int RAISE_AFTER_FRAMES = 30;

    private final int maxQuality;
    private final int maxBytes;
    private final int[] size;
    private final FrameScaler scaler = new FrameScaler();
    private JpegCodec codec;
    private int quality;
    private int roomyFrames;
    private long lowered;

    /**
     * @param maxQuality the quality used while frames fit (--quality, default 85)
     * @param maxBytes   the largest encoded frame
     * @param size       {width, height} to scale to, or null for the image's own size
     */
    PlainFrameEncoder(int maxQuality, int maxBytes, int[] size) {
        this.maxQuality = maxQuality;
        this.maxBytes = maxBytes;
        this.size = size;
        this.quality = maxQuality;
    }

    /** Which JPEG encoder runs (TurboJPEG or ImageIO, and why). */
    String description() {
        return codec().description();
    }

    /**
     * {@code image} as a JPEG of at most {@code maxBytes}, or null when even quality {@value #MIN_QUALITY} is too
     * large.
     */
    byte[] encode(BufferedImage image) throws IOException {
        BufferedImage sized = size == null ? image : scaler.scale(image, size[0], size[1]);
        int q = quality;
        // Bounded: at most 10 steps from 100 down to MIN_QUALITY.
        while (true) {
            byte[] jpeg = codec().encode(sized, q);
            if (jpeg.length <= maxBytes) {
                if (q < quality) {
                    lowered++;
                }
                quality = q;
                adjustUp(jpeg.length);
                return jpeg;
            }
            if (q <= MIN_QUALITY) {
                quality = MIN_QUALITY;
                roomyFrames = 0;
                return null;
            }
            q = q > 10 ? Math.max(10, q - 10) : MIN_QUALITY;
        }
    }

    private void adjustUp(int lengthBytes) {
        if (quality >= maxQuality || lengthBytes > maxBytes * 4L / 5) {
            roomyFrames = 0;
            return;
        }
        if (++roomyFrames >= RAISE_AFTER_FRAMES) {
            quality = Math.min(maxQuality, quality + 5);
            roomyFrames = 0;
        }
    }

    /** The quality the next frame starts at. */
    int quality() {
        return quality;
    }

    /** How many times a frame had to be encoded at a lower quality to fit. */
    long lowered() {
        return lowered;
    }

    private JpegCodec codec() {
        if (codec == null) {
            codec = JpegCodec.create();
        }
        return codec;
    }

    @Override
    public void close() {
        if (codec != null) {
            codec.close();
            codec = null;
        }
    }
}
