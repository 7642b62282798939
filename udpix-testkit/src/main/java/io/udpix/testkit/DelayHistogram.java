package io.udpix.testkit;

/**
 * A bounded log-linear histogram of non-negative durations (ns): exact below 128 ns, otherwise within 1/64
 * (1.6%) of the true value; 3,712 counters whatever the number of samples.
 */
public final class DelayHistogram {
    private static final int EXACT_LIMIT = 128;
    private static final int SUB_BUCKETS = 64;
    /** Highest bit of a positive long is 62; groups cover highest bits 7..62. */
    private static final int GROUPS = 62 - 7 + 1;
    private static final int BUCKETS = EXACT_LIMIT + GROUPS * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private double sumNs;
    private long minNs = Long.MAX_VALUE;
    private long maxNs;

    /** Adds one sample; negative values count as 0. */
    public void record(long valueNs) {
        long v = Math.max(0, valueNs);
        counts[index(v)]++;
        count++;
        sumNs += v;
        minNs = Math.min(minNs, v);
        maxNs = Math.max(maxNs, v);
    }

    static int index(long v) {
        if (v < EXACT_LIMIT) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - 6; // keeps the top bit and 6 more: 64 sub-buckets per power of two
        int sub = (int) (v >>> shift) & (SUB_BUCKETS - 1);
        return EXACT_LIMIT + (msb - 7) * SUB_BUCKETS + sub;
    }

    static long upperBound(int index) {
        if (index < EXACT_LIMIT) {
            return index;
        }
        int group = (index - EXACT_LIMIT) / SUB_BUCKETS;
        int sub = (index - EXACT_LIMIT) % SUB_BUCKETS;
        int shift = group + 7 - 6;
        long lower = (long) (SUB_BUCKETS + sub) << shift;
        return lower + (1L << shift) - 1;
    }

    /**
     * The smallest recorded-bucket value v such that at least {@code quantile} of the samples are <= v (capped
     * at the maximum seen); 0 when empty. {@code quantile} is in [0, 1], e.g. 0.95.
     */
    public long percentile(double quantile) {
        if (quantile < 0 || quantile > 1 || Double.isNaN(quantile)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + quantile);
        }
        if (count == 0) {
            return 0;
        }
        if (quantile == 0) {
            return minNs;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.max(minNs, Math.min(maxNs, upperBound(i)));
            }
        }
        return maxNs;
    }

    /** Number of samples. */
    public long count() {
        return count;
    }

    /** Largest sample, 0 when empty. */
    public long maxNs() {
        return maxNs;
    }

    /** Smallest sample, 0 when empty. */
    public long minNs() {
        return count == 0 ? 0 : minNs;
    }

    /** Arithmetic mean, 0 when empty. */
    public double meanNs() {
        return count == 0 ? 0 : sumNs / count;
    }

    @Override
    public String toString() {
        if (count == 0) {
            return "{no samples}";
        }
        return "{n=" + count + ", p50=" + Durations.format(percentile(0.5)) + ", p95="
                + Durations.format(percentile(0.95)) + ", p99=" + Durations.format(percentile(0.99)) + ", max="
                + Durations.format(maxNs) + "}";
    }
}
