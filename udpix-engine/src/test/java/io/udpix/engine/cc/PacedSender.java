package io.udpix.engine.cc;

import io.udpix.engine.recovery.RttEstimator;
import io.udpix.engine.recovery.SentPacket;
import java.util.BitSet;

/**
 * Test model of an idealised sender with an endless backlog: paced packets of one size, one ACK per delivered
 * packet, RFC 9002 loss detection (packet threshold 3, time threshold 9/8 RTT), retransmission of lost content
 * in new packets, and a probe timeout that sends two probes. Not the engine: just enough to exercise a
 * {@link CongestionController} on a {@link BottleneckLink}.
 */
final class PacedSender {
    private static final int RING_BITS = 15;
    private static final int RING_SIZE = 1 << RING_BITS;
    private static final int RING_MASK = RING_SIZE - 1;
    private static final byte INFLIGHT = 1;
    private static final byte ACKED = 2;
    private static final byte LOST = 3;
    /** RFC 9002 section 6.1.1 (kPacketThreshold). */
    private static final int PACKET_THRESHOLD = 3;
    /** Most packets one call may send: bounds the loop. */
    private static final int MAX_BURST_PACKETS = 4096;
    /** Histogram of RTT samples in 10 microsecond bins up to 2 s. */
    private static final long RTT_BIN_NS = 10_000L;
    private static final int RTT_BINS = 200_000;
    /** Goodput recorded per 100 ms bin. */
    static final long GOODPUT_BIN_NS = 100_000_000L;

    final int flowId;
    final CongestionController cc;
    private final LinkSimulation simulation;
    private final BottleneckLink link;
    private final int packetBytes;
    private final Pacer pacer = new Pacer();
    private final RttEstimator rtt = new RttEstimator();

    private final SentPacket[] ring = new SentPacket[RING_SIZE];
    private final byte[] states = new byte[RING_SIZE];
    private final long[] units = new long[RING_SIZE];
    private long nextPacketNumber;
    private long lowestUnresolved;
    private long largestAcked = -1;
    private long bytesInFlight;

    private final long[] retransmitUnits = new long[RING_SIZE];
    private int retransmitHead;
    private int retransmitCount;
    private long nextNewUnit;
    private final BitSet deliveredUnits = new BitSet();

    private long pendingSendAtNs = Long.MAX_VALUE;
    private long sendGeneration;
    private long ptoDeadlineNs = Long.MAX_VALUE;
    private boolean ptoEventPending;
    private int ptoCount;

    private final long[] goodputBins;
    private final int[] rttHistogram = new int[RTT_BINS];
    private long rttSamples;
    private long rttRecordFromNs;
    private long lostPackets;
    private long sentPackets;

    PacedSender(int flowId, CongestionController cc, LinkSimulation simulation, BottleneckLink link,
            int packetBytes, long durationNs) {
        this.flowId = flowId;
        this.cc = cc;
        this.simulation = simulation;
        this.link = link;
        this.packetBytes = packetBytes;
        for (int i = 0; i < RING_SIZE; i++) {
            ring[i] = new SentPacket();
        }
        this.goodputBins = new long[(int) (durationNs / GOODPUT_BIN_NS) + 2];
    }

    /** Only RTT samples taken at or after this time enter the percentile statistics. */
    void recordRttFrom(long fromNs) {
        rttRecordFromNs = fromNs;
    }

    /** Sends what the window and the pacer allow now; schedules a wake-up if the pacer holds the rest. */
    void trySend(long nowNs) {
        for (int i = 0; i < MAX_BURST_PACKETS; i++) {
            if (bytesInFlight + packetBytes > cc.congestionWindowBytes()) {
                return;
            }
            if (nextPacketNumber - lowestUnresolved >= RING_SIZE) {
                throw new IllegalStateException("flow " + flowId + ": more than " + RING_SIZE + " packets in flight");
            }
            long atNs = pacer.nextSendTimeNs(nowNs, packetBytes, cc.pacingRateBytesPerSecond(), packetBytes);
            if (atNs > nowNs) {
                if (atNs < pendingSendAtNs) {
                    pendingSendAtNs = atNs;
                    simulation.schedule(atNs, LinkSimulation.SEND, this, ++sendGeneration);
                }
                return;
            }
            sendOne(nowNs);
        }
        // The burst bound was reached: continue right away in a new event.
        pendingSendAtNs = nowNs;
        simulation.schedule(nowNs, LinkSimulation.SEND, this, ++sendGeneration);
    }

    /** A scheduled pacing wake-up fired. */
    void onSendEvent(long nowNs, long generation) {
        if (generation != sendGeneration) {
            return;
        }
        pendingSendAtNs = Long.MAX_VALUE;
        trySend(nowNs);
    }

    private void sendOne(long nowNs) {
        long pn = nextPacketNumber++;
        int slot = (int) (pn & RING_MASK);
        SentPacket packet = ring[slot];
        packet.clear();
        packet.packetNumber = pn;
        packet.timeSentNs = nowNs;
        packet.sizeBytes = packetBytes;
        packet.ackEliciting = true;
        packet.inFlight = true;
        if (retransmitCount > 0) {
            units[slot] = retransmitUnits[retransmitHead];
            retransmitHead = (retransmitHead + 1) & RING_MASK;
            retransmitCount--;
        } else {
            units[slot] = nextNewUnit++;
        }
        states[slot] = INFLIGHT;
        cc.onPacketSent(packet, nowNs, bytesInFlight);
        bytesInFlight += packetBytes;
        pacer.onPacketSent(nowNs, packetBytes, cc.pacingRateBytesPerSecond(), packetBytes);
        sentPackets++;
        armPto(nowNs);
        long ackAtNs = link.transmit(nowNs, packetBytes);
        if (ackAtNs >= 0) {
            simulation.schedule(ackAtNs, LinkSimulation.ACK, this, pn);
        }
    }

    /** The ACK of packet {@code pn} arrived (one ACK frame per delivered packet). */
    void onAck(long nowNs, long pn) {
        int slot = (int) (pn & RING_MASK);
        SentPacket packet = ring[slot];
        long unit = units[slot];
        if (!deliveredUnits.get((int) unit)) {
            deliveredUnits.set((int) unit);
            int bin = (int) Math.min(nowNs / GOODPUT_BIN_NS, goodputBins.length - 1);
            goodputBins[bin] += packetBytes;
        }
        if (states[slot] != INFLIGHT) {
            return; // declared lost already (spuriously): nothing for the controller
        }
        states[slot] = ACKED;
        bytesInFlight -= packetBytes;
        cc.onPacketAcked(packet, nowNs);
        long rttSampleNs = nowNs - packet.timeSentNs;
        if (pn > largestAcked) {
            largestAcked = pn;
            rtt.onSample(rttSampleNs, 0);
            recordRtt(nowNs, rttSampleNs);
        } else {
            rttSampleNs = -1;
        }
        detectLosses(nowNs);
        cc.onAckProcessed(nowNs, rttSampleNs, rtt.minRttNs(), bytesInFlight);
        ptoCount = 0;
        if (bytesInFlight > 0) {
            armPto(nowNs);
        } else {
            ptoDeadlineNs = Long.MAX_VALUE;
        }
        trySend(nowNs);
    }

    /** RFC 9002 section 6.1: packet and time thresholds; packets are in send order, so the scan stops early. */
    private void detectLosses(long nowNs) {
        long lossDelayNs = Math.max(rtt.latestRttNs(), rtt.rttNsSmoothed()) * 9 / 8;
        lossDelayNs = Math.max(lossDelayNs, RttEstimator.GRANULARITY_NS);
        for (long pn = lowestUnresolved; pn < largestAcked; pn++) {
            int slot = (int) (pn & RING_MASK);
            if (states[slot] != INFLIGHT) {
                continue;
            }
            SentPacket packet = ring[slot];
            if (largestAcked - pn < PACKET_THRESHOLD && packet.timeSentNs > nowNs - lossDelayNs) {
                break;
            }
            markLost(nowNs, slot);
        }
        while (lowestUnresolved < nextPacketNumber && states[(int) (lowestUnresolved & RING_MASK)] != INFLIGHT) {
            lowestUnresolved++;
        }
    }

    private void markLost(long nowNs, int slot) {
        states[slot] = LOST;
        bytesInFlight -= packetBytes;
        lostPackets++;
        cc.onPacketLost(ring[slot], nowNs);
        int tail = (retransmitHead + retransmitCount) & RING_MASK;
        retransmitUnits[tail] = units[slot];
        retransmitCount++;
    }

    private void armPto(long nowNs) {
        ptoDeadlineNs = nowNs + (rtt.ptoNs(0) << Math.min(ptoCount, 10));
        if (!ptoEventPending) {
            ptoEventPending = true;
            simulation.schedule(ptoDeadlineNs, LinkSimulation.PTO, this, 0);
        }
    }

    /** The probe timer's event fired (it may be stale: the deadline moves with every send and ACK). */
    void onPtoEvent(long nowNs) {
        ptoEventPending = false;
        if (bytesInFlight == 0 || ptoDeadlineNs == Long.MAX_VALUE) {
            return;
        }
        if (nowNs < ptoDeadlineNs) {
            ptoEventPending = true;
            simulation.schedule(ptoDeadlineNs, LinkSimulation.PTO, this, 0);
            return;
        }
        // RFC 9002 section 6.2.4: two probes regardless of the window, then back off.
        ptoCount++;
        for (int i = 0; i < 2 && nextPacketNumber - lowestUnresolved < RING_SIZE; i++) {
            sendOne(nowNs);
        }
    }

    private void recordRtt(long nowNs, long rttNs) {
        if (nowNs < rttRecordFromNs) {
            return;
        }
        rttHistogram[(int) Math.min(rttNs / RTT_BIN_NS, RTT_BINS - 1)]++;
        rttSamples++;
    }

    /** The {@code fraction} quantile of recorded RTT samples (upper edge of its 10 us bin). */
    long rttQuantileNs(double fraction) {
        long rank = (long) Math.ceil(fraction * rttSamples);
        long seen = 0;
        for (int i = 0; i < RTT_BINS; i++) {
            seen += rttHistogram[i];
            if (seen >= rank && seen > 0) {
                return (i + 1) * RTT_BIN_NS;
            }
        }
        return Long.MAX_VALUE;
    }

    long latestRttNs() {
        return rtt.latestRttNs();
    }

    long bytesInFlight() {
        return bytesInFlight;
    }

    long minRttNs() {
        return rtt.minRttNs();
    }

    /** Unique content bytes acknowledged in [fromNs, toNs), at 100 ms resolution. */
    long goodputBytes(long fromNs, long toNs) {
        long sum = 0;
        for (int bin = (int) (fromNs / GOODPUT_BIN_NS); bin < toNs / GOODPUT_BIN_NS && bin < goodputBins.length;
                bin++) {
            sum += goodputBins[bin];
        }
        return sum;
    }

    long lostPackets() {
        return lostPackets;
    }

    long sentPackets() {
        return sentPackets;
    }
}
