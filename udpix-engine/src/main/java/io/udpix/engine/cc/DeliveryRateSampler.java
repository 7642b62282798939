package io.udpix.engine.cc;

import io.udpix.engine.recovery.SentPacket;

/**
 * Delivery rate estimation as draft-cheng-iccrg-delivery-rate-estimation-02 describes it (the algorithm of
 * Linux's tcp_rate.c): stamps each sent packet with the connection's delivery state and, per ACK, produces one
 * rate sample = delivered bytes / max(send interval, ack interval). Allocation-free; one instance per connection.
 *
 * <p>Per ACK: {@link #onPacketAcked} / {@link #onPacketLost} for each packet, then {@link #generateRateSample}
 * once; the sample's accessors are valid until the next ACK's first packet.
 */
public final class DeliveryRateSampler {
    private static final long NS_PER_SECOND = 1_000_000_000L;

    // Connection state (draft section 3.1: C.delivered, C.delivered_time, C.first_sent_time, C.app_limited).
    private long deliveredBytes;
    private long deliveredTimeNs;
    private long firstSentTimeNs;
    private boolean hasDeliveredTime;
    /** End of the app-limited bubble in delivered bytes, or 0 when not app-limited (draft section 3.4). */
    private long appLimitedUntilBytes;
    private long lostBytes;

    // The sample being built from the current ACK (draft section 3.1: rs.*).
    private boolean sampleOpen;
    private boolean sampleHasData;
    private long samplePriorDeliveredBytes;
    private long samplePriorTimeNs;
    private long sampleNewestSentTimeNs;
    private boolean sampleAppLimited;
    private long sampleSendElapsedNs;
    private long sampleAckElapsedNs;
    private long sampleAckedBytes;
    private long sampleLostBytes;
    // Generated results.
    private boolean sampleValid;
    private long sampleIntervalNs;
    private long sampleDeliveredBytes;
    private long sampleRateBytesPerSecond;

    /**
     * Stamps {@code packet} (whose timeSentNs is set) with the delivery state (draft section 3.2).
     *
     * @param bytesInFlightBefore bytes in flight before this packet; 0 starts a new flight
     */
    public void onPacketSent(SentPacket packet, long bytesInFlightBefore) {
        if (bytesInFlightBefore == 0 || !hasDeliveredTime) {
            // Nothing in flight: the send and ack intervals restart here, so that an idle period is not
            // counted as a slow delivery (draft section 3.2).
            firstSentTimeNs = packet.timeSentNs;
            deliveredTimeNs = packet.timeSentNs;
            hasDeliveredTime = true;
        }
        packet.firstSentTimeNs = firstSentTimeNs;
        packet.deliveredTimeNs = deliveredTimeNs;
        packet.delivered = deliveredBytes;
        packet.appLimited = appLimitedUntilBytes != 0;
    }

    /** One newly acknowledged packet (draft section 3.3, UpdateRateSample). */
    public void onPacketAcked(SentPacket packet, long nowNs) {
        openSample();
        deliveredBytes += packet.sizeBytes;
        deliveredTimeNs = nowNs;
        sampleAckedBytes += packet.sizeBytes;
        // The newest packet acked (largest delivered count, later send time on a tie) defines the sample.
        if (!sampleHasData || packet.delivered > samplePriorDeliveredBytes
                || (packet.delivered == samplePriorDeliveredBytes && packet.timeSentNs > sampleNewestSentTimeNs)) {
            sampleHasData = true;
            samplePriorDeliveredBytes = packet.delivered;
            samplePriorTimeNs = packet.deliveredTimeNs;
            sampleNewestSentTimeNs = packet.timeSentNs;
            sampleAppLimited = packet.appLimited;
            sampleSendElapsedNs = packet.timeSentNs - packet.firstSentTimeNs;
            sampleAckElapsedNs = nowNs - packet.deliveredTimeNs;
            firstSentTimeNs = packet.timeSentNs;
        }
    }

    /** One packet declared lost; counted for the sample's loss total (Linux rs->losses). */
    public void onPacketLost(SentPacket packet) {
        openSample();
        lostBytes += packet.sizeBytes;
        sampleLostBytes += packet.sizeBytes;
    }

    /**
     * Finishes the current ACK's sample (draft section 3.3, GenerateRateSample).
     *
     * @param minRttNs the connection's minimum RTT: a shorter interval is not trusted (it would overestimate)
     * @return whether a valid rate sample was produced
     */
    public boolean generateRateSample(long minRttNs) {
        // The app-limited bubble is over once everything sent while limited has been delivered.
        if (appLimitedUntilBytes != 0 && deliveredBytes > appLimitedUntilBytes) {
            appLimitedUntilBytes = 0;
        }
        sampleOpen = false;
        sampleValid = false;
        sampleRateBytesPerSecond = 0;
        if (!sampleHasData) {
            sampleIntervalNs = -1;
            sampleDeliveredBytes = 0;
            return false;
        }
        sampleIntervalNs = Math.max(sampleSendElapsedNs, sampleAckElapsedNs);
        sampleDeliveredBytes = deliveredBytes - samplePriorDeliveredBytes;
        if (sampleIntervalNs < minRttNs || sampleIntervalNs <= 0) {
            // Draft section 3.3: an interval below min RTT comes from ACK compression or a spurious
            // retransmission and would overestimate the rate.
            sampleIntervalNs = -1;
            return false;
        }
        sampleRateBytesPerSecond = (long) ((double) sampleDeliveredBytes * NS_PER_SECOND / sampleIntervalNs);
        sampleValid = true;
        return true;
    }

    /**
     * The sender has less to send than its window allows: samples taken until this flight is delivered are
     * marked app-limited (draft section 3.4).
     */
    public void onAppLimited(long bytesInFlight) {
        long end = deliveredBytes + bytesInFlight;
        appLimitedUntilBytes = end > 0 ? end : 1;
    }

    /** Forgets the app-limited mark and the current sample (after persistent congestion). */
    public void resetSample() {
        appLimitedUntilBytes = 0;
        clearSample();
        sampleIntervalNs = -1;
        sampleDeliveredBytes = 0;
        sampleRateBytesPerSecond = 0;
        sampleValid = false;
    }

    private void openSample() {
        if (!sampleOpen) {
            clearSample();
            sampleOpen = true;
        }
    }

    private void clearSample() {
        sampleOpen = false;
        sampleHasData = false;
        samplePriorDeliveredBytes = 0;
        samplePriorTimeNs = 0;
        sampleNewestSentTimeNs = Long.MIN_VALUE;
        sampleAppLimited = false;
        sampleSendElapsedNs = 0;
        sampleAckElapsedNs = 0;
        sampleAckedBytes = 0;
        sampleLostBytes = 0;
    }

    /** Total bytes delivered (acknowledged) on the connection (C.delivered). */
    public long deliveredBytes() {
        return deliveredBytes;
    }

    /** Total bytes declared lost on the connection. */
    public long lostBytes() {
        return lostBytes;
    }

    /** Whether the connection is inside an app-limited bubble. */
    public boolean isAppLimited() {
        return appLimitedUntilBytes != 0;
    }

    /** Whether the last ACK produced a valid rate sample. */
    public boolean sampleValid() {
        return sampleValid;
    }

    /** The last sample's rate, or 0 if it was not valid. */
    public long sampleRateBytesPerSecond() {
        return sampleRateBytesPerSecond;
    }

    /** The last sample's interval, max(send elapsed, ack elapsed), or -1 if not valid. */
    public long sampleIntervalNs() {
        return sampleIntervalNs;
    }

    /** Bytes delivered over the last sample's interval. */
    public long sampleDeliveredBytes() {
        return sampleDeliveredBytes;
    }

    /** C.delivered when the newest packet of the last ACK was sent (rs.prior_delivered); BBR's round marker. */
    public long samplePriorDeliveredBytes() {
        return samplePriorDeliveredBytes;
    }

    /** Whether the last ACK acknowledged any packet. */
    public boolean sampleHasData() {
        return sampleHasData;
    }

    /** Whether the newest packet of the last ACK was sent while app-limited. */
    public boolean sampleAppLimited() {
        return sampleAppLimited;
    }

    /** Bytes the last ACK acknowledged. */
    public long sampleAckedBytes() {
        return sampleAckedBytes;
    }

    /** Bytes the last ACK made the engine declare lost. */
    public long sampleLostBytes() {
        return sampleLostBytes;
    }
}
