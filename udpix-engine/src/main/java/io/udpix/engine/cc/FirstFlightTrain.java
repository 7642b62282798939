package io.udpix.engine.cc;

/**
 * The bottleneck's rate as the ACKs of the first flight show it: the initial window leaves in a burst, queues at
 * the bottleneck and reaches the receiver spaced by the bottleneck's serialization time, and the receiver's ACKs
 * (one per two packets, RFC 9000 section 13.2.2) come back with that spacing. Bytes acknowledged over the span of
 * those ACKs is the packet-train estimate of the bottleneck capacity (Keshav, "A control-theoretic approach to
 * flow control", SIGCOMM 1991: packet pairs; Jain and Dovrolis, "End-to-end available bandwidth", SIGCOMM 2002:
 * trains, and why they measure the capacity, not the share another flow leaves).
 *
 * <p>{@link Bbr} uses half of it, once, to start STARTUP from a rate it would otherwise reach only after several
 * doublings from the initial window (five round trips at 100 Mbit/s and 100 ms). The train ends at an ACK gap
 * larger than {@link #GAP_FACTOR} times the train's mean gap (the receiver's delayed ACK for an odd last packet,
 * or the sender's next flight) or at the first ACK for a packet sent after an ACK arrived. An estimate needs
 * {@link #MIN_TRAIN_PACKETS} packets acknowledged after the first ACK.
 *
 * <p>A train is not trusted once one of its ACKs gave an RTT well above the path's minimum (the handshake's sample
 * included): a receiver that was busy (a freshly started server's first key work and class loading) answers a
 * whole flight at once, and its bunched ACKs would claim any rate. The packets of a burst also wait for each other
 * at the bottleneck, so on a link slow enough that the initial window is a good part of its BDP the train is
 * refused too; there the doubling from the initial window takes only a few rounds anyway.
 *
 * <p>ACKs that arrive at the same instant show no spacing: a delayed ACK (jitter on either direction) holds the ones
 * behind it, and they come together, or a driver hands them over in one batch. So the train also needs
 * {@link #MIN_SPACED_GAPS} gaps between ACKs that are not zero. Five ACKs of which four came at once, after a gap of
 * 1.5 ms, claimed 3 MB/s on a 0.6 MB/s, 117 ms path with 9 ms of jitter: STARTUP put 410 KB (5.8 BDPs) in flight and
 * the link's queue dropped 481 packets (RandomStreamScenariosTest seed 5000031582).
 */
final class FirstFlightTrain {
    static final int MIN_TRAIN_PACKETS = 8;
    static final int GAP_FACTOR = 4;
    /** Gaps of a trusted train that are not zero: as many as ACKs of two packets take for MIN_TRAIN_PACKETS. */
    static final int MIN_SPACED_GAPS = MIN_TRAIN_PACKETS / 2;
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private boolean over;
    private boolean trusted = true;
    private long firstAckNs = -1;
    private long firstDeliveredBytes;
    private long lastAckNs;
    private long lastDeliveredBytes;
    private int gaps;
    private int spacedGaps;

    /**
     * One ACK frame was processed.
     *
     * @param firstFlight whether the newest packet it acknowledged was sent before anything was acknowledged
     * @param deliveredBytes bytes acknowledged so far on the connection
     * @param rttInflated whether its RTT sample stood well above the path's minimum
     */
    void onAck(long nowNs, boolean firstFlight, long deliveredBytes, boolean rttInflated) {
        if (over) {
            return;
        }
        if (!firstFlight) {
            over = true;
            return;
        }
        if (firstAckNs < 0) {
            firstAckNs = nowNs;
            firstDeliveredBytes = deliveredBytes;
            lastAckNs = nowNs;
            lastDeliveredBytes = deliveredBytes;
            distrustIf(rttInflated);
            return;
        }
        long gapNs = nowNs - lastAckNs;
        if (gaps >= 2 && gapNs * gaps > GAP_FACTOR * (lastAckNs - firstAckNs)) {
            over = true;
            return;
        }
        if (distrustIf(rttInflated)) {
            return;
        }
        gaps++;
        if (gapNs > 0) {
            spacedGaps++;
        }
        lastAckNs = nowNs;
        lastDeliveredBytes = deliveredBytes;
    }

    private boolean distrustIf(boolean rttInflated) {
        if (rttInflated) {
            trusted = false;
            over = true;
        }
        return rttInflated;
    }

    /**
     * The train's rate so far, or 0 while it is shorter than {@link #MIN_TRAIN_PACKETS} datagrams or
     * {@link #MIN_SPACED_GAPS} gaps that are not zero, or when it is not trusted.
     */
    long rateBytesPerSecond(int datagramBytes) {
        long bytes = lastDeliveredBytes - firstDeliveredBytes;
        long elapsedNs = lastAckNs - firstAckNs;
        if (!trusted || firstAckNs < 0 || bytes < (long) MIN_TRAIN_PACKETS * datagramBytes || elapsedNs <= 0
                || spacedGaps < MIN_SPACED_GAPS) {
            return 0;
        }
        return (long) ((double) bytes * NS_PER_SECOND / elapsedNs);
    }

    /** Whether the train has ended (no later ACK changes the estimate). */
    boolean over() {
        return over;
    }
}
