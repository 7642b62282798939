package io.udpix.engine.cc;

import java.util.SplittableRandom;

/**
 * Test model of a bottleneck: a FIFO link of fixed rate behind a drop-tail queue, then iid random loss (after
 * the link, so lost packets still use capacity), then a fixed propagation delay for data plus ACK.
 * Deterministic for a seed; the ACK path has no queue and no loss.
 */
final class BottleneckLink {
    private static final long NS_PER_SECOND = 1_000_000_000L;

    final long rateBytesPerSecond;
    private long propagationRttNs;
    final long queueCapacityBytes;
    final double lossProbability;
    private final SplittableRandom random;
    private long busyUntilNs;
    private long tailDrops;
    private long randomDrops;
    private long transmittedBytes;

    BottleneckLink(long rateBytesPerSecond, long propagationRttNs, long queueCapacityBytes, double lossProbability,
            long seed) {
        this.rateBytesPerSecond = rateBytesPerSecond;
        this.propagationRttNs = propagationRttNs;
        this.queueCapacityBytes = queueCapacityBytes;
        this.lossProbability = lossProbability;
        this.random = new SplittableRandom(seed);
    }

    /** The path's propagation RTT (data plus ACK), excluding queueing and serialisation. */
    long propagationRttNs() {
        return propagationRttNs;
    }

    /** Changes the propagation RTT for packets transmitted from now on (a route change). */
    void setPropagationRttNs(long propagationRttNs) {
        this.propagationRttNs = propagationRttNs;
    }

    /** Bandwidth-delay product of the empty path. */
    long bdpBytes() {
        return rateBytesPerSecond * propagationRttNs / NS_PER_SECOND;
    }

    /**
     * A packet of {@code sizeBytes} arrives at {@code nowNs} (never decreasing): returns when its ACK reaches the
     * sender, or -1 if the queue was full or the packet was lost on the way.
     */
    long transmit(long nowNs, int sizeBytes) {
        long backlogNs = Math.max(0, busyUntilNs - nowNs);
        long queuedBytes = (backlogNs * rateBytesPerSecond + NS_PER_SECOND - 1) / NS_PER_SECOND;
        if (queuedBytes + sizeBytes > queueCapacityBytes) {
            tailDrops++;
            return -1;
        }
        long startNs = Math.max(nowNs, busyUntilNs);
        busyUntilNs = startNs + sizeBytes * NS_PER_SECOND / rateBytesPerSecond;
        transmittedBytes += sizeBytes;
        if (lossProbability > 0 && random.nextDouble() < lossProbability) {
            randomDrops++;
            return -1;
        }
        return busyUntilNs + propagationRttNs;
    }

    long tailDrops() {
        return tailDrops;
    }

    long randomDrops() {
        return randomDrops;
    }

    long transmittedBytes() {
        return transmittedBytes;
    }
}
