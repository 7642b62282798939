package io.udpix.engine.cc;

/**
 * Token-bucket pacer (RFC 9002 section 7.7): spreads packets at the controller's pacing rate, allowing a burst of
 * max(2 datagrams, 1 ms at the rate). The engine asks {@link #nextSendTimeNs} before each packet and, when told to
 * wait, uses the answer as its deadline: nothing spins. Exact integer arithmetic; no allocation.
 */
public final class Pacer {
    private static final long NS_PER_SECOND = 1_000_000_000L;
    /**
     * Burst allowance in time at the current rate: 1 ms, the timer granularity RFC 9002 section 6.1.2 recommends,
     * so a timer that fires up to 1 ms late can still send what became due.
     */
    static final long BURST_NS = 1_000_000L;
    /**
     * At least two datagrams: two full 64 KB datagrams on loopback always fit the bucket, and RFC 9002
     * section 7.7 lets a sender keep ACK-clocked bursts this small.
     */
    static final int BURST_MIN_DATAGRAMS = 2;

    // Tokens are kept in byte-seconds scaled by 1e9 ("byte-nanos per second") so that refilling at any rate
    // over any whole number of nanoseconds is exact.
    private long tokensScaled;
    private long lastRefillNs;
    private boolean started;

    /**
     * When a packet of {@code packetBytes} may be sent: {@code nowNs} if at once, else the (later) time at which
     * the bucket will hold enough.
     */
    public long nextSendTimeNs(long nowNs, int packetBytes, long pacingRateBytesPerSecond, int maxDatagramBytes) {
        long rate = Math.max(1L, pacingRateBytesPerSecond);
        refill(nowNs, packetBytes, rate, maxDatagramBytes);
        long neededScaled = (long) packetBytes * NS_PER_SECOND;
        if (tokensScaled >= neededScaled) {
            return nowNs;
        }
        long missingScaled = neededScaled - tokensScaled;
        // Ceiling division: at the returned time the bucket holds at least the packet.
        return nowNs + (missingScaled + rate - 1) / rate;
    }

    /** A packet of {@code packetBytes} was sent at {@code nowNs}: its tokens are spent (the bucket may go negative). */
    public void onPacketSent(long nowNs, int packetBytes, long pacingRateBytesPerSecond, int maxDatagramBytes) {
        long rate = Math.max(1L, pacingRateBytesPerSecond);
        refill(nowNs, packetBytes, rate, maxDatagramBytes);
        tokensScaled -= (long) packetBytes * NS_PER_SECOND;
        // Bound the debt to one bucket so that a sender that ignores the pacer is not silenced for long after.
        long floor = -capacityScaled(packetBytes, rate, maxDatagramBytes);
        if (tokensScaled < floor) {
            tokensScaled = floor;
        }
    }

    /** Bytes that may be sent at once right now (after the last refill). */
    public long availableBytes() {
        return Math.floorDiv(tokensScaled, NS_PER_SECOND);
    }

    private void refill(long nowNs, int packetBytes, long rate, int maxDatagramBytes) {
        long capacity = capacityScaled(packetBytes, rate, maxDatagramBytes);
        if (!started) {
            started = true;
            lastRefillNs = nowNs;
            tokensScaled = capacity;
            return;
        }
        if (nowNs > lastRefillNs) {
            long elapsedNs = nowNs - lastRefillNs;
            lastRefillNs = nowNs;
            if (tokensScaled >= capacity) {
                // Already full (the rate may have dropped, shrinking the bucket).
                tokensScaled = capacity;
                return;
            }
            long roomScaled = capacity - tokensScaled;
            // Compare in time, not in bytes, so that a long idle period cannot overflow rate x elapsed.
            if (elapsedNs >= roomScaled / rate + 1) {
                tokensScaled = capacity;
            } else {
                tokensScaled += rate * elapsedNs;
            }
        } else if (tokensScaled > capacity) {
            tokensScaled = capacity;
        }
    }

    /** Bucket size: max(2 datagrams, 1 ms at the rate), and never less than the packet being asked about. */
    private static long capacityScaled(int packetBytes, long rate, int maxDatagramBytes) {
        long minBytes = Math.max((long) BURST_MIN_DATAGRAMS * Math.max(maxDatagramBytes, 1), packetBytes);
        // 1 ms at the rate in scaled units (bytes x 1e9) is rate x BURST_NS.
        long burstScaled = rate > Long.MAX_VALUE / BURST_NS ? Long.MAX_VALUE / 4 : rate * BURST_NS;
        return Math.max(minBytes * NS_PER_SECOND, Math.min(burstScaled, Long.MAX_VALUE / 4));
    }
}
