package io.udpix.engine.recovery;

/** Round-trip time estimates as RFC 9002 section 5 defines them. */
public final class RttEstimator {
    /** RFC 9002 section 6.2.2: the initial RTT before any sample. */
    public static final long INITIAL_RTT_NS = 333_000_000L;
    /** Timer granularity (RFC 9002 section 6.1.2 recommends 1 ms). */
    public static final long GRANULARITY_NS = 1_000_000L;

    private long latestRttNs;
    private long rttNsSmoothed = INITIAL_RTT_NS;
    private long rttNsVar = INITIAL_RTT_NS / 2;
    private long minRttNs = Long.MAX_VALUE;
    /** Minimum over samples less the peer's reported ack delay (see {@link #minPathRttNs}). */
    private long minPathRttNs = Long.MAX_VALUE;
    private boolean hasSample;

    /**
     * Takes one RTT sample (RFC 9002 section 5.3): {@code ackDelayNs} is what the peer reported, already capped
     * by the caller at the peer's max ack delay once the handshake is confirmed.
     */
    public void onSample(long sampleNs, long ackDelayNs) {
        if (sampleNs <= 0) {
            sampleNs = 1;
        }
        latestRttNs = sampleNs;
        minRttNs = Math.min(minRttNs, sampleNs);
        minPathRttNs = Math.min(minPathRttNs, Math.max(1, sampleNs - Math.max(0, ackDelayNs)));
        if (!hasSample) {
            hasSample = true;
            rttNsSmoothed = sampleNs;
            rttNsVar = sampleNs / 2;
            return;
        }
        long adjustedNs = sampleNs;
        if (sampleNs >= minRttNs + ackDelayNs) {
            adjustedNs = sampleNs - ackDelayNs;
        }
        rttNsVar = (3 * rttNsVar + Math.abs(rttNsSmoothed - adjustedNs)) / 4;
        rttNsSmoothed = (7 * rttNsSmoothed + adjustedNs) / 8;
    }

    /** Whether any sample was taken. */
    public boolean hasSample() {
        return hasSample;
    }

    /** Latest sample. */
    public long latestRttNs() {
        return hasSample ? latestRttNs : INITIAL_RTT_NS;
    }

    /** Smoothed RTT. */
    public long rttNsSmoothed() {
        return rttNsSmoothed;
    }

    /** RTT variation. */
    public long rttNsVar() {
        return rttNsVar;
    }

    /** Minimum RTT seen over the connection's life, or the initial RTT before any sample. */
    public long minRttNs() {
        return hasSample ? minRttNs : INITIAL_RTT_NS;
    }

    /**
     * Minimum over samples of (sample - the ack delay the peer reported), or the initial RTT before any sample: the
     * path's round trip without the time the peer held its acknowledgement. RFC 9002 section 5.2 keeps min_rtt
     * unadjusted (a wrong ack delay must not shrink the loss and congestion figures); the stream receiver's clock
     * offset (docs/PROTOCOL.md section 5.8.3) wants the path alone: a receiver's samples are mostly its PINGs,
     * which a streaming peer acknowledges after up to its max ack delay, and half that delay would be clock error.
     */
    public long minPathRttNs() {
        return hasSample ? minPathRttNs : INITIAL_RTT_NS;
    }

    /** Probe timeout before back-off, RFC 9002 section 6.2.1, for a peer with the given max ack delay. */
    public long ptoNs(long maxAckDelayNs) {
        return rttNsSmoothed + Math.max(4 * rttNsVar, GRANULARITY_NS) + maxAckDelayNs;
    }
}
