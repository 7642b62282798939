package io.udpix.engine.cc;

import io.udpix.engine.recovery.SentPacket;

/**
 * A pluggable congestion controller. The engine calls it as packets are sent, acknowledged and lost, and asks it
 * how much may be in flight and how fast to pace. Implementations are sans-I/O and deterministic.
 *
 * <p>Call order for one received ACK frame: {@link #onPacketAcked} for each newly acknowledged packet in
 * ascending packet number order, then {@link #onPacketLost} for each packet the ACK made the engine declare lost,
 * then {@link #onAckProcessed} once.
 */
public interface CongestionController {

    /**
     * A packet that counts towards bytes in flight was just sent. The controller records its rate-sampling
     * state in {@code packet} (delivered, deliveredTimeNs, firstSentTimeNs, appLimited).
     *
     * @param bytesInFlightBefore bytes in flight before this packet
     */
    void onPacketSent(SentPacket packet, long nowNs, long bytesInFlightBefore);

    /** One newly acknowledged in-flight packet. */
    void onPacketAcked(SentPacket packet, long nowNs);

    /** One packet declared lost (RFC 9002 section 6.1). MTU probes are never reported here. */
    void onPacketLost(SentPacket packet, long nowNs);

    /**
     * The receiver's reported delay of this ACK frame (RFC 9000 section 19.3, capped at max_ack_delay), given just
     * before {@link #onAckProcessed} when that call carries an RTT sample. Default: ignored.
     */
    default void onAckDelay(long ackDelayNs) {
    }

    /**
     * A packet reported to {@link #onPacketLost} at {@code lostAtNs} was acknowledged after all (reordering, a
     * duplicate that overtook it): the loss was spurious (RFC 9002 section 6.1: implementations can detect spurious
     * retransmissions). Given before {@link #onAckProcessed} of the ACK that showed it. Default: ignored.
     */
    default void onSpuriousLoss(int sizeBytes, long lostAtNs) {
    }

    /**
     * All packets of one ACK frame were reported.
     *
     * @param latestRttNs the RTT sample this ACK gave, or -1 if none
     * @param minRttNs the connection's minimum RTT
     * @param bytesInFlight bytes in flight after processing
     */
    void onAckProcessed(long nowNs, long latestRttNs, long minRttNs, long bytesInFlight);

    /**
     * RFC 9002 section 7.6: every packet over a period longer than the persistent congestion duration was
     * lost (for example a blackout). The controller should fall back to a conservative window.
     */
    void onPersistentCongestion(long nowNs);

    /** The sender has less to send than the window allows (it is application-limited). */
    void onAppLimited(long bytesInFlight);

    /** The datagram size in use changed (path MTU discovery). */
    void onMaxDatagramSizeChanged(int maxDatagramBytes);

    /** Bytes that may be in flight. */
    long congestionWindowBytes();

    /** Rate at which to pace packets, in bytes per second; always positive. */
    long pacingRateBytesPerSecond();

    /** Short name for statistics ("bbr", "newreno", ...). */
    String name();

    /** Delivery rate estimate for statistics (BBR: its bottleneck bandwidth); 0 if this controller keeps none. */
    default long deliveryRateBytesPerSecond() {
        return 0;
    }
}
