package io.udpix.engine.stream;

/**
 * Latencies in bounded log-linear buckets (in the manner of HdrHistogram): values below 128 ns exactly, above that
 * 64 buckets per power of two, so a bucket is at most 1/64 of its value wide and the reported midpoint is within
 * 0.8% of every value in it, up to 2^36 ns (68.7 s; larger values land in the last bucket, the maximum is kept
 * exactly). About 2,000 counters (16 KiB); {@link #record} allocates nothing.
 */
public final class LatencyHistogram {
    private static final int EXACT = 128;
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS; // buckets per power of two
    private static final int MIN_MSB = 7; // 2^7 = EXACT
    private static final int MAX_MSB = 35; // values < 2^36 ns
    private static final int BUCKETS = EXACT + (MAX_MSB - MIN_MSB + 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long maxNs;

    /** Counts one latency; a negative one (clock offset error) counts as 0. */
    public void record(long ns) {
        long v = Math.max(0, ns);
        counts[index(v)]++;
        total++;
        if (v > maxNs) {
            maxNs = v;
        }
    }

    /** The median, 0 when empty. */
    public long p50Ns() {
        return percentileNs(50);
    }

    /** The 99th percentile, 0 when empty. */
    public long p99Ns() {
        return percentileNs(99);
    }

    /** The largest value recorded, 0 when empty. */
    public long maxNs() {
        return maxNs;
    }

    /** Values recorded since the last reset. */
    public long count() {
        return total;
    }

    /**
     * The smallest recorded value v such that at least {@code percent}% of values are &lt;= v, as the midpoint of
     * its bucket (never above the maximum); 0 when empty.
     */
    public long percentileNs(double percent) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(total * Math.min(100, Math.max(0, percent)) / 100.0));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(maxNs, midpoint(i));
            }
        }
        return maxNs;
    }

    /** Forgets everything. */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        maxNs = 0;
    }

    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        if (msb > MAX_MSB) {
            return BUCKETS - 1;
        }
        int shift = msb - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB; // 0..63
        return EXACT + (msb - MIN_MSB) * SUB + sub;
    }

    static long midpoint(int index) {
        if (index < EXACT) {
            return index;
        }
        int msb = (index - EXACT) / SUB + MIN_MSB;
        int sub = (index - EXACT) % SUB;
        int shift = msb - SUB_BITS;
        long low = (long) (SUB + sub) << shift;
        return low + ((1L << shift) >>> 1);
    }
}
