package io.udpix.engine.connection;

import io.udpix.engine.cc.CongestionController;
import io.udpix.engine.recovery.RttEstimator;
import io.udpix.engine.recovery.SentPacket;
import io.udpix.engine.recovery.SentPacketRing;
import io.udpix.wire.AckFrame;

/**
 * Loss detection and probe timeouts for one connection, as RFC 9002 sections 5-7 describe, over a ring of sent
 * packets. Sans-I/O: the connection calls it with ACK frames and times; it reports acked and lost packets through
 * {@link PacketFate} and feeds the congestion controller.
 */
final class Recovery {
    /** RFC 9002 section 6.1.1 kPacketThreshold. */
    static final int PACKET_THRESHOLD = 3;
    /** Probe timeouts never back off beyond this (after a 3 s blackout the sender must try again within a second, not 8 s later). */
    static final long MAX_PTO_NS = 1_000_000_000L;
    /** Most packet numbers one ACK frame may make us visit; bounds the work of a hostile ACK. */
    static final int MAX_VISITS_PER_ACK = 1 << 17;

    /** What the connection does with the content of acknowledged and lost packets. */
    interface PacketFate {
        void onAcked(SentPacket packet, long nowNs);

        void onLost(SentPacket packet, long nowNs);
    }

    private final SentPacketRing ring;
    private final RttEstimator rtt = new RttEstimator();
    /** Tracing hooks, set by the connection (docs/QLOG.md). */
    ConnectionTrace trace = ConnectionTrace.OFF;
    private final CongestionController cc;
    private final PacketFate fate;
    private final long maxAckDelayNs;
    private final ConnectionStats stats;
    /** Packets declared lost, to tell the controller when an ACK shows one was not (SpuriousLossLog). */
    private final SpuriousLossLog lostLog = new SpuriousLossLog();
    private final SpuriousLossLog.Sink spuriousSink;

    private long bytesInFlight;
    private int ackElicitingInFlight;
    private long largestAcked = -1;
    private long largestAckedSentTimeNs = -1;
    private long lastAckElicitingSentNs;
    private long lossTimeNs;
    private int ptoCount;
    private int probesToSend;
    private long timerNs = Long.MAX_VALUE;
    private long lastAckProgressNs;
    /** Recent share of ack-eliciting packets lost, an EWMA over about {@link #LOSS_RATE_PACKETS} packets. */
    private double lossRate;
    /**
     * Packets the loss-rate average spans (weight 1/512 per packet): long enough that 0.1% loss is measurable,
     * short enough (a fraction of a second at stream rates) to follow a path that gets worse. FecPlanner reads it.
     */
    static final int LOSS_RATE_PACKETS = 512;

    Recovery(SentPacketRing ring, CongestionController cc, PacketFate fate, long maxAckDelayNs, ConnectionStats stats) {
        this.ring = ring;
        this.cc = cc;
        this.fate = fate;
        this.maxAckDelayNs = maxAckDelayNs;
        this.stats = stats;
        this.spuriousSink = cc::onSpuriousLoss;
    }

    RttEstimator rtt() {
        return rtt;
    }

    /** The recent packet loss rate: lost / (acknowledged + lost) ack-eliciting packets, averaged, 0..1. */
    double recentLossRate() {
        return lossRate;
    }

    private void countLossSample(SentPacket p, boolean lost) {
        if (p.ackEliciting && !p.mtuProbe) {
            lossRate += ((lost ? 1.0 : 0.0) - lossRate) / LOSS_RATE_PACKETS;
        }
    }

    long bytesInFlight() {
        return bytesInFlight;
    }

    int ptoCount() {
        return ptoCount;
    }

    /** Probe packets the PTO asked for (sent even when the window is full, RFC 9002 section 6.2.4). */
    int probesToSend() {
        return probesToSend;
    }

    void onProbeSent() {
        if (probesToSend > 0) {
            probesToSend--;
        }
    }

    /** The loss-detection timer (loss time or PTO), or Long.MAX_VALUE. */
    long timerNs() {
        return timerNs;
    }

    /** Records a packet just sent; {@code packet} is filled in by the caller. */
    void onPacketSent(SentPacket packet, long nowNs) {
        packet.timeSentNs = nowNs;
        if (packet.inFlight) {
            cc.onPacketSent(packet, nowNs, bytesInFlight);
            bytesInFlight += packet.sizeBytes;
        }
        if (packet.ackEliciting) {
            if (ackElicitingInFlight == 0) {
                lastAckProgressNs = nowNs;
            }
            ackElicitingInFlight++;
            lastAckElicitingSentNs = nowNs;
        }
        setTimer(nowNs);
        trace.packetSent(packet, nowNs, bytesInFlight);
    }

    /**
     * Processes an ACK frame (already validated by {@code AckFrame.check}). Returns false when it acknowledges a
     * packet number never sent, a protocol violation the caller reports.
     */
    boolean onAck(AckFrame ack, long nowNs) {
        long largest = ack.largestAcknowledged();
        if (largest >= ring.nextPacketNumber()) {
            return false;
        }
        long largestAckedSentBefore = largestAckedSentTimeNs;
        lostLog.onAck(ack, spuriousSink);
        boolean newlyAckedAny = false;
        boolean largestNewlyAcked = false;
        long largestNewlyAckedSentNs = 0;
        boolean largestNewlyAckedEliciting = false;
        int visits = 0;
        // Walk ranges from lowest to highest so the controller sees acknowledgements in packet-number order.
        int rangeCount = ack.rangeCount();
        for (int r = rangeCount; r >= 0 && visits < MAX_VISITS_PER_ACK; r--) {
            long hi = rangeLargest(ack, r);
            long lo = hi - (r == 0 ? ack.firstRange() : ack.rangeLength(r - 1));
            long from = Math.max(lo, ring.basePacketNumber());
            long to = Math.min(hi, ring.nextPacketNumber() - 1);
            for (long pn = from; pn <= to && visits < MAX_VISITS_PER_ACK; pn++, visits++) {
                SentPacket p = ring.get(pn);
                if (p == null) {
                    continue;
                }
                newlyAckedAny = true;
                if (pn == largest) {
                    largestNewlyAcked = true;
                    largestNewlyAckedSentNs = p.timeSentNs;
                    largestNewlyAckedEliciting = p.ackEliciting;
                }
                if (p.timeSentNs > largestAckedSentTimeNs) {
                    largestAckedSentTimeNs = p.timeSentNs;
                }
                removeFromFlight(p);
                if (p.inFlight) {
                    cc.onPacketAcked(p, nowNs);
                }
                stats.inc(ConnectionStats.PACKETS_ACKED);
                countLossSample(p, false);
                fate.onAcked(p, nowNs);
                ring.markDone(p);
            }
        }
        if (!newlyAckedAny) {
            return true;
        }
        lastAckProgressNs = nowNs;
        if (largest > largestAcked) {
            largestAcked = largest;
        }
        long latestRttNs = -1;
        // RFC 9002 section 5.1: sample only when the largest acknowledged is newly acked and ack-eliciting.
        if (largestNewlyAcked && largestNewlyAckedEliciting) {
            latestRttNs = nowNs - largestNewlyAckedSentNs;
            long ackDelayNs = Math.min(ack.ackDelayUs() * 1000, maxAckDelayNs);
            rtt.onSample(latestRttNs, ackDelayNs);
            cc.onAckDelay(ackDelayNs);
        }
        detectLost(nowNs, largestAckedSentBefore);
        // RFC 9002 section 6.2.1: an acknowledgement resets the PTO backoff.
        ptoCount = 0;
        probesToSend = 0;
        cc.onAckProcessed(nowNs, latestRttNs, rtt.minRttNs(), bytesInFlight);
        setTimer(nowNs);
        trace.metrics(nowNs);
        return true;
    }

    private static long rangeLargest(AckFrame ack, int r) {
        long largest = ack.largestAcknowledged();
        long smallest = largest - ack.firstRange();
        for (int i = 0; i < r; i++) {
            largest = smallest - ack.gap(i) - 2;
            smallest = largest - ack.rangeLength(i);
        }
        return largest;
    }

    private void removeFromFlight(SentPacket p) {
        if (p.inFlight) {
            bytesInFlight -= p.sizeBytes;
        }
        if (p.ackEliciting) {
            ackElicitingInFlight--;
        }
    }

    /** RFC 9002 section 6.1: packet and time thresholds. */
    private void detectLost(long nowNs, long largestAckedSentBefore) {
        if (largestAcked < 0) {
            return;
        }
        long lossDelayNs = Math.max(
                (Math.max(rtt.latestRttNs(), rtt.rttNsSmoothed()) * 9) / 8, RttEstimator.GRANULARITY_NS);
        long lostSendTimeNs = nowNs - lossDelayNs;
        lossTimeNs = 0;
        long firstLostSentNs = -1;
        long lastLostSentNs = -1;
        long end = Math.min(largestAcked, ring.nextPacketNumber());
        for (long pn = ring.basePacketNumber(); pn < end; pn++) {
            SentPacket p = ring.get(pn);
            if (p == null) {
                continue;
            }
            if (p.timeSentNs <= lostSendTimeNs || largestAcked >= pn + PACKET_THRESHOLD) {
                if (p.ackEliciting && !p.mtuProbe) {
                    if (firstLostSentNs < 0) {
                        firstLostSentNs = p.timeSentNs;
                    }
                    lastLostSentNs = p.timeSentNs;
                }
                declareLost(p, nowNs);
            } else {
                long t = p.timeSentNs + lossDelayNs;
                if (lossTimeNs == 0 || t < lossTimeNs) {
                    lossTimeNs = t;
                }
            }
        }
        // RFC 9002 section 7.6: all packets over a long period lost, and none sent in it acknowledged.
        if (firstLostSentNs >= 0 && rtt.hasSample() && firstLostSentNs > largestAckedSentBefore
                && lastLostSentNs - firstLostSentNs > persistentCongestionDurationNs()) {
            stats.inc(ConnectionStats.PERSISTENT_CONGESTION);
            cc.onPersistentCongestion(nowNs);
        }
    }

    private long persistentCongestionDurationNs() {
        return (rtt.rttNsSmoothed() + Math.max(4 * rtt.rttNsVar(), RttEstimator.GRANULARITY_NS) + maxAckDelayNs) * 3;
    }

    private void declareLost(SentPacket p, long nowNs) {
        removeFromFlight(p);
        countLossSample(p, true);
        if (p.ackEliciting) {
            stats.inc(ConnectionStats.PACKETS_LOST);
            trace.packetLost(p, nowNs);
            if (p.inFlight && !p.mtuProbe) {
                cc.onPacketLost(p, nowNs);
                lostLog.onLost(p.packetNumber, p.sizeBytes, nowNs);
            }
        }
        fate.onLost(p, nowNs);
        ring.markDone(p);
    }

    /** Runs the loss-detection timer if due (RFC 9002 section 6.2 and appendix A.9). */
    void onTimeout(long nowNs) {
        if (timerNs > nowNs) {
            return;
        }
        if (lossTimeNs != 0 && lossTimeNs <= nowNs) {
            detectLost(nowNs, largestAckedSentTimeNs);
            cc.onAckProcessed(nowNs, -1, rtt.minRttNs(), bytesInFlight);
        } else if (ackElicitingInFlight > 0) {
            ptoCount++;
            stats.inc(ConnectionStats.PROBE_TIMEOUTS);
            probesToSend = 2;
            SentPacket oldest = oldestAckEliciting();
            if (oldest != null) {
                fate.onLost(oldest, nowNs); // re-queue its content for the probes; it stays outstanding
            }
        }
        setTimer(nowNs);
        trace.metrics(nowNs);
    }

    private SentPacket oldestAckEliciting() {
        int visits = 0;
        for (long pn = ring.basePacketNumber(); pn < ring.nextPacketNumber() && visits < 4096; pn++, visits++) {
            SentPacket p = ring.get(pn);
            if (p != null && p.ackEliciting && !p.mtuProbe) {
                return p;
            }
        }
        return null;
    }

    private long ptoBaseNs() {
        return rtt.ptoNs(maxAckDelayNs);
    }

    /** The probe timeout with backoff, capped so long outages are retried within {@link #MAX_PTO_NS}. */
    long currentPtoNs() {
        long base = ptoBaseNs();
        long backed = base << Math.min(ptoCount, 16);
        return Math.min(backed, Math.max(base, MAX_PTO_NS));
    }

    private void setTimer(long nowNs) {
        if (lossTimeNs != 0) {
            timerNs = lossTimeNs;
        } else if (ackElicitingInFlight > 0) {
            timerNs = lastAckElicitingSentNs + currentPtoNs();
        } else {
            timerNs = Long.MAX_VALUE;
        }
    }

    /**
     * Since when ack-eliciting packets have been outstanding without any new acknowledgement, or Long.MAX_VALUE when
     * none is outstanding. A peer that keeps sending but never acknowledges is as gone as a silent one.
     */
    long unacknowledgedSinceNs() {
        return ackElicitingInFlight > 0 ? lastAckProgressNs : Long.MAX_VALUE;
    }

    /** Forgets every outstanding packet (connection closing): nothing will be retransmitted. */
    void discardAll() {
        bytesInFlight = 0;
        ackElicitingInFlight = 0;
        timerNs = Long.MAX_VALUE;
        lossTimeNs = 0;
    }
}
