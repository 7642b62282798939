package io.udpix.engine.cc;

import io.udpix.engine.recovery.SentPacket;

/**
 * NewReno as RFC 9002 section 7 and Appendix B specify it: slow start, congestion avoidance, one halving per
 * recovery period, minimum window after persistent congestion. The simple alternative to {@link Bbr}: every loss,
 * random or not, halves the window, so it collapses on a lossy link.
 */
public final class NewReno implements CongestionController {
    private static final long NS_PER_SECOND = 1_000_000_000L;
    /** RFC 9002 section 7.2 (kInitialWindow): min(10 x max datagram, max(14720, 2 x max datagram)). */
    static final int INITIAL_WINDOW_PACKETS = 10;
    static final int INITIAL_WINDOW_CAP_BYTES = 14_720;
    /** RFC 9002 section 7.2 (kMinimumWindow): 2 x max datagram. */
    static final int MINIMUM_WINDOW_PACKETS = 2;
    /** RFC 9002 section 7.3.2 (kLossReductionFactor). */
    static final double LOSS_REDUCTION_FACTOR = 0.5;
    /** RFC 9002 section 7.7: pace at N x cwnd / smoothed RTT with N = 1.25, so that pacing does not limit cwnd. */
    static final double PACING_FACTOR = 1.25;
    /** Before any RTT sample the initial window goes out nearly unpaced (RFC 9002 section 7.7 allows that burst). */
    static final long NOMINAL_RTT_NS = 1_000_000L;

    private int maxDatagramBytes;
    private long cwndBytes;
    private long ssthreshBytes = Long.MAX_VALUE;
    /** RFC 9002 B.2 congestion_recovery_start_time; Long.MIN_VALUE when not in recovery. */
    private long recoveryStartNs = Long.MIN_VALUE;
    /** Bytes acked in congestion avoidance not yet turned into window growth (RFC 9002 B.5, exact form). */
    private long avoidanceAckedBytes;
    private boolean appLimited;
    private boolean anyAcked;
    private long smoothedRttNs = -1;

    /** A controller for one connection. */
    public NewReno(int maxDatagramBytes, long nowNs) {
        if (maxDatagramBytes <= 0) {
            throw new IllegalArgumentException("max datagram size must be positive, got " + maxDatagramBytes);
        }
        this.maxDatagramBytes = maxDatagramBytes;
        this.cwndBytes = initialWindowBytes();
    }

    @Override
    public void onPacketSent(SentPacket packet, long nowNs, long bytesInFlightBefore) {
        // RFC 9002 section 7.8: the window is "in use" again once a send fills it.
        if (bytesInFlightBefore + packet.sizeBytes >= cwndBytes) {
            appLimited = false;
        }
    }

    @Override
    public void onPacketAcked(SentPacket packet, long nowNs) {
        anyAcked = true;
        // RFC 9002 B.5: no growth for packets sent during recovery, nor while the window is not used (7.8).
        if (inRecovery(packet.timeSentNs) || appLimited) {
            return;
        }
        if (cwndBytes < ssthreshBytes) {
            cwndBytes += packet.sizeBytes;
            return;
        }
        // One max datagram per window's worth of acknowledged bytes.
        avoidanceAckedBytes += packet.sizeBytes;
        if (avoidanceAckedBytes >= cwndBytes) {
            avoidanceAckedBytes -= cwndBytes;
            cwndBytes += maxDatagramBytes;
        }
    }

    @Override
    public void onPacketLost(SentPacket packet, long nowNs) {
        // RFC 9002 B.6/B.8: one reduction per recovery period; a loss of a packet sent before the period began
        // is part of the same congestion event.
        if (inRecovery(packet.timeSentNs)) {
            return;
        }
        recoveryStartNs = nowNs;
        ssthreshBytes = Math.max((long) (cwndBytes * LOSS_REDUCTION_FACTOR), minimumWindowBytes());
        cwndBytes = ssthreshBytes;
        avoidanceAckedBytes = 0;
    }

    @Override
    public void onAckProcessed(long nowNs, long latestRttNs, long minRttNs, long bytesInFlight) {
        if (latestRttNs > 0) {
            // RFC 9002 section 5.3's smoothing, for the pacing rate only (ack delay is the engine's concern).
            smoothedRttNs = smoothedRttNs < 0 ? latestRttNs : (7 * smoothedRttNs + latestRttNs) / 8;
        }
    }

    @Override
    public void onPersistentCongestion(long nowNs) {
        // RFC 9002 B.8: collapse to the minimum window and leave recovery.
        cwndBytes = minimumWindowBytes();
        recoveryStartNs = Long.MIN_VALUE;
        avoidanceAckedBytes = 0;
    }

    @Override
    public void onAppLimited(long bytesInFlight) {
        appLimited = true;
    }

    @Override
    public void onMaxDatagramSizeChanged(int maxDatagramBytes) {
        if (maxDatagramBytes <= 0) {
            return;
        }
        this.maxDatagramBytes = maxDatagramBytes;
        if (!anyAcked && recoveryStartNs == Long.MIN_VALUE) {
            // RFC 9002 section 7.2: before anything was acknowledged, the initial window follows the new size.
            cwndBytes = initialWindowBytes();
            return;
        }
        cwndBytes = Math.max(cwndBytes, minimumWindowBytes());
    }

    @Override
    public long congestionWindowBytes() {
        return cwndBytes;
    }

    @Override
    public long pacingRateBytesPerSecond() {
        long rttNs = smoothedRttNs > 0 ? smoothedRttNs : NOMINAL_RTT_NS;
        return Math.max(1L, (long) (PACING_FACTOR * cwndBytes * (double) NS_PER_SECOND / rttNs));
    }

    @Override
    public String name() {
        return "newreno";
    }

    /** Slow-start threshold, Long.MAX_VALUE until the first loss. */
    public long slowStartThresholdBytes() {
        return ssthreshBytes;
    }

    private boolean inRecovery(long sentTimeNs) {
        return recoveryStartNs != Long.MIN_VALUE && sentTimeNs <= recoveryStartNs;
    }

    private long initialWindowBytes() {
        long capped = Math.max(INITIAL_WINDOW_CAP_BYTES, (long) MINIMUM_WINDOW_PACKETS * maxDatagramBytes);
        return Math.min((long) INITIAL_WINDOW_PACKETS * maxDatagramBytes, capped);
    }

    private long minimumWindowBytes() {
        return (long) MINIMUM_WINDOW_PACKETS * maxDatagramBytes;
    }
}
