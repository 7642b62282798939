package io.udpix.engine.stream;

/**
 * What a side that takes frame streams accepts, as its capability entry STREAM_LIMITS says (docs/PROTOCOL.md
 * sections 3.7 and 5.8.1): the sender reads the peer's to size frames and compute the effective latency budget,
 * the receiver enforces its own.
 *
 * @param maxStreams    incoming streams at once on one connection (1..65535)
 * @param maxFrameBytes largest frame in bytes (1..2^31-1)
 * @param latencyMinMs  smallest latency budget the receiver grants, in milliseconds
 * @param latencyMaxMs  largest latency budget the receiver grants, in milliseconds (at most 10,000)
 */
public record StreamLimits(int maxStreams, long maxFrameBytes, int latencyMinMs, int latencyMaxMs) {
    /** The defaults of docs/PROTOCOL.md section 5.8.1: 16 streams, 16 MiB frames, 0..10,000 ms. */
    public static final StreamLimits DEFAULTS = new StreamLimits(16, 16L << 20, 0, 10_000);
    /** The largest budget STREAM_OPEN can carry. */
    public static final int MAX_LATENCY_MS = 10_000;

    /** Validates ranges; errors name the value and the accepted range. */
    public StreamLimits {
        if (maxStreams < 1 || maxStreams > 0xFFFF) {
            throw new IllegalArgumentException("max streams per connection must be 1..65535, got " + maxStreams);
        }
        if (maxFrameBytes < 1 || maxFrameBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max frame bytes must be 1..2^31-1, got " + maxFrameBytes);
        }
        if (latencyMinMs < 0 || latencyMaxMs > MAX_LATENCY_MS || latencyMinMs > latencyMaxMs) {
            throw new IllegalArgumentException("stream latency bounds must satisfy 0 <= min <= max <= 10,000 ms, got "
                    + latencyMinMs + ".." + latencyMaxMs + " ms");
        }
    }

    /**
     * The effective budget for a request, in milliseconds: {@code clamp(requested, min, max)}, and 1..10,000 (what
     * STREAM_OPEN carries). Section 5.8.1.
     */
    public int effectiveBudgetMs(long requestedNs) {
        long ms = Math.max(0, (requestedNs + 999_999) / 1_000_000);
        ms = Math.max(latencyMinMs, Math.min(latencyMaxMs, ms));
        return (int) Math.max(1, Math.min(MAX_LATENCY_MS, ms));
    }

    /**
     * Limits from a peer's STREAM_LIMITS values ({max streams, max frame bytes, min ms, max ms}); values out of
     * range are brought into range (a 0 stream count reads as 1, a frame limit above 2^31-1 as 2^31-1, a maximum
     * above 10,000 ms as 10,000) so a peer's odd entry can never fail our side.
     */
    public static StreamLimits fromWire(long[] values) {
        int streams = (int) Math.max(1, Math.min(0xFFFF, values[0]));
        long frame = Math.max(1, Math.min(Integer.MAX_VALUE, values[1]));
        int max = (int) Math.min(MAX_LATENCY_MS, values[3]);
        int min = (int) Math.min(max, values[2]);
        return new StreamLimits(streams, frame, min, max);
    }
}
