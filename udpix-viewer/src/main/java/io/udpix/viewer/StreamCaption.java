package io.udpix.viewer;

import java.util.Objects;

/**
 * What the viewer prints with a live stream's latest frame: who sends it, which frame it is, and how the stream is
 * doing (rate, latency, frames that missed their deadline). The viewer only shows these figures; the caller
 * measures them (the receiver's {@code StreamStats}).
 *
 * @param sender         the sender as text, e.g. {@code "127.0.0.1:50123"}
 * @param streamName     the stream's name as the sender gave it (shown after cleaning, never used as a path)
 * @param frameNumber    the frame's number in its stream (the sender's count, so gaps are frames not shown)
 * @param fps            frames delivered per second over the caller's recent window; NaN while unknown
 * @param latencyMs      capture-to-delivery latency of this frame in milliseconds; NaN while unknown
 * @param latencyP99Ms   99th percentile of the same over the stream so far; NaN while unknown
 * @param late           frames of which data arrived but that were not complete by their deadline (never shown)
 * @param lost           frames of which nothing usable arrived
 * @param fecRecovered   frames completed with the help of parity (FEC)
 * @param codec          the frames' codec as a short word, e.g. {@code "JPEG"}
 * @param frameBytes     this frame's encoded size in bytes
 */
public record StreamCaption(String sender, String streamName, long frameNumber, double fps, double latencyMs,
        double latencyP99Ms, long late, long lost, long fecRecovered, String codec, long frameBytes) {

    /** Checks the fields; a negative count is a caller bug. */
    public StreamCaption {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(codec, "codec");
        requireNotNegative("frameNumber", frameNumber);
        requireNotNegative("late", late);
        requireNotNegative("lost", lost);
        requireNotNegative("fecRecovered", fecRecovered);
        requireNotNegative("frameBytes", frameBytes);
        requireNotNegativeOrNaN("fps", fps);
        requireNotNegativeOrNaN("latencyMs", latencyMs);
        requireNotNegativeOrNaN("latencyP99Ms", latencyP99Ms);
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    private static void requireNotNegativeOrNaN(String name, double value) {
        // NaN means "not measured yet"; infinities and negatives are caller bugs.
        if (!Double.isNaN(value) && (value < 0 || Double.isInfinite(value))) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite (or NaN: unknown), was " + value);
        }
    }
}
