package io.udpix.engine.cc;

/**
 * HyStart's delay-increase test (RFC 9406 section 4.2), used to end BBR's STARTUP before it overflows a buffer:
 * once the current round has {@link #MIN_SAMPLES} RTT samples and even the lowest of them stands
 * eta = clamp(RTprop / 8, 4 ms, 16 ms) above RTprop, a queue is building faster than the bandwidth grows.
 */
final class DelayIncreaseDetector {
    /** RFC 9406 N_RTT_SAMPLE. */
    static final int MIN_SAMPLES = 8;
    /** RFC 9406 MIN_RTT_THRESH. */
    static final long MIN_ETA_NS = 4_000_000L;
    /** RFC 9406 MAX_RTT_THRESH. */
    static final long MAX_ETA_NS = 16_000_000L;

    private int samples;
    private long roundMinRttNs = Long.MAX_VALUE;

    /** One RTT sample of the current round. */
    void onRttSample(long rttNs) {
        roundMinRttNs = Math.min(roundMinRttNs, rttNs);
        samples++;
    }

    /** A new round starts. */
    void onRoundStart() {
        roundMinRttNs = Long.MAX_VALUE;
        samples = 0;
    }

    /** Whether the current round shows a queue building above {@code rtPropNs}. */
    boolean increaseSeen(long rtPropNs) {
        if (rtPropNs == Long.MAX_VALUE || samples < MIN_SAMPLES || roundMinRttNs == Long.MAX_VALUE) {
            return false;
        }
        return roundMinRttNs > rtPropNs + etaNs(rtPropNs);
    }

    /** RFC 9406's eta: clamp(RTprop / 8, 4 ms, 16 ms). */
    static long etaNs(long rtPropNs) {
        return Math.max(MIN_ETA_NS, Math.min(MAX_ETA_NS, rtPropNs / 8));
    }
}
