package io.udpix.engine.stream;

import java.util.Arrays;

/**
 * STOPGAP until helper "fec"'s {@code LatencyHistogram} is in main (same method names): the latest 4,096 latencies
 * in a ring, percentiles by sorting a copy when asked (stats only, never per datagram).
 */
final class StopgapLatencyHistogram {
    private final long[] ring = new long[4096];
    private long total;
    private long maxNs;

    void record(long ns) {
        long v = Math.max(0, ns);
        ring[(int) (total++ % ring.length)] = v;
        maxNs = Math.max(maxNs, v);
    }

    long p50Ns() {
        return percentileNs(50);
    }

    long p99Ns() {
        return percentileNs(99);
    }

    long maxNs() {
        return maxNs;
    }

    long count() {
        return total;
    }

    long percentileNs(double percent) {
        int n = (int) Math.min(total, ring.length);
        if (n == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(ring, n);
        Arrays.sort(copy);
        int rank = (int) Math.max(1, Math.ceil(n * percent / 100.0));
        return copy[Math.min(n, rank) - 1];
    }
}
