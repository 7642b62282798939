package io.udpix.engine.cc;

/**
 * HyStart's delay-increase test (RFC 9406 section 4.2), used to end BBR's STARTUP before it overflows a buffer:
 * once the current round has {@link #MIN_SAMPLES} RTT samples and even the lowest of them stands
 * eta = clamp(RTprop / 8, 4 ms, 16 ms) above RTprop, a queue is building faster than the bandwidth grows.
 *
 * <p>udpix: a round with fewer samples is judged together with the rounds just before it, back until they hold
 * {@link #MIN_SAMPLES}, and the lowest of all of them must stand eta above RTprop. RFC 9406 asks for 8 samples so
 * that one low-jitter sample is not taken for a queue; a round of a few large datagrams (9000-byte ones on a
 * 7.5 Mbit/s, 17 ms path: 2 to 7 ACKs a round) never had 8, so an app-limited stream, which never leaves STARTUP
 * by bandwidth, kept STARTUP's 2.89 x pacing and a growing window for good while its frames queued for 80 ms at
 * the bottleneck (RandomStreamScenariosTest seeds 7000000027470, 7000000029725).
 */
final class DelayIncreaseDetector {
    /** RFC 9406 N_RTT_SAMPLE. */
    static final int MIN_SAMPLES = 8;
    /** RFC 9406 MIN_RTT_THRESH. */
    static final long MIN_ETA_NS = 4_000_000L;
    /** RFC 9406 MAX_RTT_THRESH. */
    static final long MAX_ETA_NS = 16_000_000L;
    /** Earlier rounds kept: the current round has at least one sample, so 7 more rounds always reach 8 samples. */
    private static final int EARLIER_ROUNDS = MIN_SAMPLES - 1;

    private int samples;
    private long roundMinRttNs = Long.MAX_VALUE;
    /** The samples and lowest RTT of the latest earlier rounds that had samples, newest at {@code newest}. */
    private final int[] earlierSamples = new int[EARLIER_ROUNDS];
    private final long[] earlierMinRttNs = new long[EARLIER_ROUNDS];
    private int earlierCount;
    private int newest = -1;

    /** One RTT sample of the current round. */
    void onRttSample(long rttNs) {
        roundMinRttNs = Math.min(roundMinRttNs, rttNs);
        samples++;
    }

    /** A new round starts. */
    void onRoundStart() {
        if (samples > 0) {
            newest = (newest + 1) % EARLIER_ROUNDS;
            earlierSamples[newest] = samples;
            earlierMinRttNs[newest] = roundMinRttNs;
            earlierCount = Math.min(EARLIER_ROUNDS, earlierCount + 1);
        }
        roundMinRttNs = Long.MAX_VALUE;
        samples = 0;
    }

    /** STARTUP begins again (a restart of the model): earlier rounds say nothing about the path now. */
    void reset() {
        earlierCount = 0;
        newest = -1;
        roundMinRttNs = Long.MAX_VALUE;
        samples = 0;
    }

    /** Whether the current round (with the rounds just before it when it has fewer than 8 samples) shows a queue. */
    boolean increaseSeen(long rtPropNs) {
        if (rtPropNs == Long.MAX_VALUE || samples == 0) {
            return false;
        }
        int total = samples;
        long minRttNs = roundMinRttNs;
        for (int k = 0; k < earlierCount && total < MIN_SAMPLES; k++) {
            int at = Math.floorMod(newest - k, EARLIER_ROUNDS);
            total += earlierSamples[at];
            minRttNs = Math.min(minRttNs, earlierMinRttNs[at]);
        }
        return total >= MIN_SAMPLES && minRttNs > rtPropNs + etaNs(rtPropNs);
    }

    /** RFC 9406's eta: clamp(RTprop / 8, 4 ms, 16 ms). */
    static long etaNs(long rtPropNs) {
        return Math.max(MIN_ETA_NS, Math.min(MAX_ETA_NS, rtPropNs / 8));
    }
}
