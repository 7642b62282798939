package io.udpix.engine.cc;

/**
 * Tells an endpoint's pause (a cold JVM's compile or GC pause, a run-queue wait on a busy host; at either end) from
 * a full pipe, so that {@link Bbr} does not read the rounds it spoils as the end of STARTUP.
 *
 * <p>A pause at either end shows at the sender the same way: no ACK for the length of the pause while data was in
 * flight (the receiver's datagrams, or the sender's ACKs, wait in a socket buffer), then an ACK whose RTT sample is
 * inflated by about as much (the packet or the ACK waited the whole pause). A queue at a bottleneck inflates RTT
 * too, but its ACKs keep coming at the bottleneck's rate, so the silence before an inflated sample stays short.
 * Seen that way, the pause spoils every sample of the flight that was out when it ended: delivery rates are low
 * (the interval includes the pause) and RTTs high. Until that flight is delivered the pause is "suspected".
 *
 * <p>The test: an RTT sample at least eta above RTprop (eta as in {@link DelayIncreaseDetector}, so every pause
 * that could trip the delay test is caught) after an ACK silence of at least {@link #SILENCE_SHARE} of that
 * inflation and {@link #UNUSUAL_GAP_FACTOR} times the usual gap between ACKs, for a packet sent before the silence
 * began; the receiver's reported ACK delay is taken off first (RFC 9002 section 5.3), since a delayed ACK for
 * the last packet of a burst also comes after a silence with a longer RTT.
 */
final class StallDetector {
    /** The silence must cover this share of the RTT inflation (a pause gives about all of it, a queue very little). */
    static final double SILENCE_SHARE = 0.75;

    /** A silence this many times the smoothed gap between ACKs is unusual. */
    static final int UNUSUAL_GAP_FACTOR = 4;

    private long lastAckNs = -1;
    /** Smoothed gap between ACKs while data was in flight (1/8 weight per gap, as RFC 6298 smooths RTT). */
    private long smoothedGapNs;
    private boolean inFlightAfterLastAck;
    private long suspectUntilDeliveredBytes = -1;
    private long stalls;

    /**
     * One ACK frame that acknowledged data was processed.
     *
     * @param latestRttNs its RTT sample, or -1
     * @param ackDelayNs the receiver's reported delay of this ACK (a delayed ACK's silence is no pause)
     * @param rtPropNs the propagation RTT before this sample, or Long.MAX_VALUE
     * @param deliveredBytes bytes delivered so far, this ACK's included
     * @param bytesInFlight bytes in flight after it
     * @return whether this ACK revealed a pause
     */
    boolean onAck(long nowNs, long latestRttNs, long ackDelayNs, long rtPropNs, long deliveredBytes,
            long bytesInFlight) {
        boolean paused = false;
        if (lastAckNs >= 0 && inFlightAfterLastAck && latestRttNs > 0 && rtPropNs != Long.MAX_VALUE) {
            long inflationNs = latestRttNs - ackDelayNs - rtPropNs;
            long silenceNs = nowNs - lastAckNs;
            // The packet was out before the silence began: its ACK was due during it. (A packet sent after an
            // idle sender's last ACK comes back after a silence too, with nothing wrong.)
            boolean sentBeforeSilence = nowNs - latestRttNs <= lastAckNs;
            // On a slow link ACKs come a serialization time apart (16 ms for two 1,500-byte packets at 1.5 Mbit/s)
            // while its queue grows by as much: a silence counts only when it is far longer than the usual gap.
            boolean unusual = smoothedGapNs > 0 && silenceNs >= UNUSUAL_GAP_FACTOR * smoothedGapNs;
            if (sentBeforeSilence && unusual && inflationNs > DelayIncreaseDetector.etaNs(rtPropNs)
                    && silenceNs >= SILENCE_SHARE * inflationNs) {
                paused = true;
                stalls++;
                suspectUntilDeliveredBytes = deliveredBytes + bytesInFlight;
            }
        }
        if (!paused && lastAckNs >= 0 && inFlightAfterLastAck) {
            long gapNs = nowNs - lastAckNs;
            smoothedGapNs = smoothedGapNs == 0 ? Math.max(1, gapNs) : (7 * smoothedGapNs + gapNs) / 8;
        }
        lastAckNs = nowNs;
        inFlightAfterLastAck = bytesInFlight > 0;
        return paused;
    }

    /** Whether samples now may still be spoiled by a pause: the flight out when it was seen is not all delivered. */
    boolean suspected(long deliveredBytes) {
        return deliveredBytes < suspectUntilDeliveredBytes;
    }

    /** Pauses seen so far. */
    long stalls() {
        return stalls;
    }
}
