package io.udpix.engine.cc;

import io.udpix.engine.recovery.SentPacket;
import java.util.function.IntPredicate;

/**
 * Drives a {@link CongestionController} by hand, one flight at a time: a flight's packets all leave at once and
 * their ACKs return one per spacing after a chosen RTT, so every rate sample can be computed on paper. A lost
 * packet is reported in the ACK frame of the next acknowledged one (or alone, if it was the last).
 */
final class ManualFlights {
    final CongestionController cc;
    final int packetBytes;
    long nowNs;
    long bytesInFlight;
    long minRttNs = Long.MAX_VALUE;
    private long nextPacketNumber;

    ManualFlights(CongestionController cc, int packetBytes, long startNs) {
        this.cc = cc;
        this.packetBytes = packetBytes;
        this.nowNs = startNs;
    }

    /**
     * Sends {@code count} packets now; the i-th is acknowledged at send + rttNs + i x spacingNs, except those
     * for which {@code lost} says so. Leaves the clock at the last ACK.
     */
    void flight(int count, long rttNs, long spacingNs, IntPredicate lost) {
        flight(count, rttNs, spacingNs, lost, count, 0);
    }

    /**
     * As {@link #flight(int, long, long, IntPredicate)}, with an endpoint's pause: the ACKs from the
     * {@code pauseAt}-th on come {@code pauseNs} later (they, or the packets they answer, waited in a socket).
     */
    void flight(int count, long rttNs, long spacingNs, IntPredicate lost, int pauseAt, long pauseNs) {
        flight(count, rttNs, spacingNs, lost, pauseAt, pauseNs, false, 0, false);
    }

    /**
     * As {@link #flight(int, long, long, IntPredicate)}, but the last packet's ACK comes {@code lateNs} later (its
     * RTT sample that much larger), with that delay reported as the receiver's ACK delay when {@code reported}: a
     * lone last packet waiting for the delayed-ACK timer (RFC 9000 section 13.2.1), not a queue (unreported, the
     * silence before it reads as an endpoint's pause, StallDetector). The last packet must not be lost.
     */
    void flightWithLateLastAck(int count, long rttNs, long spacingNs, IntPredicate lost, long lateNs,
            boolean reported) {
        flight(count, rttNs, spacingNs, lost, count, 0, false, lateNs, reported);
    }

    /**
     * As {@link #flight(int, long, long, IntPredicate)}, but each packet reported lost turns out to have arrived
     * (reordered): the next ACK frame acknowledges it too ({@link CongestionController#onSpuriousLoss}).
     */
    void reorderedFlight(int count, long rttNs, long spacingNs, IntPredicate reordered) {
        flight(count, rttNs, spacingNs, reordered, count, 0, true, 0, false);
    }

    private void flight(int count, long rttNs, long spacingNs, IntPredicate lost, int pauseAt, long pauseNs,
            boolean spurious, long lastLateNs, boolean lastLateReported) {
        long spuriousLostAtNs = -1;
        int spuriousCount = 0;
        SentPacket[] packets = new SentPacket[count];
        long sentNs = nowNs;
        for (int i = 0; i < count; i++) {
            SentPacket packet = new SentPacket();
            packet.clear();
            packet.packetNumber = nextPacketNumber++;
            packet.timeSentNs = sentNs;
            packet.sizeBytes = packetBytes;
            packet.ackEliciting = true;
            packet.inFlight = true;
            cc.onPacketSent(packet, sentNs, bytesInFlight);
            bytesInFlight += packetBytes;
            packets[i] = packet;
        }
        int pendingLost = 0;
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            nowNs = sentNs + rttNs + i * spacingNs + (i >= pauseAt ? pauseNs : 0) + (last ? lastLateNs : 0);
            if (lost.test(i)) {
                pendingLost++;
                continue;
            }
            for (int j = 0; j < spuriousCount; j++) {
                cc.onSpuriousLoss(packetBytes, spuriousLostAtNs);
            }
            spuriousCount = 0;
            cc.onPacketAcked(packets[i], nowNs);
            bytesInFlight -= packetBytes;
            for (int j = i - pendingLost; j < i; j++) {
                cc.onPacketLost(packets[j], nowNs);
                bytesInFlight -= packetBytes;
            }
            if (spurious && pendingLost > 0) {
                spuriousLostAtNs = nowNs;
                spuriousCount = pendingLost;
            }
            pendingLost = 0;
            long rttSampleNs = nowNs - packets[i].timeSentNs;
            minRttNs = Math.min(minRttNs, rttSampleNs);
            if (last && lastLateReported) {
                cc.onAckDelay(lastLateNs);
            }
            cc.onAckProcessed(nowNs, rttSampleNs, minRttNs, bytesInFlight);
        }
        if (pendingLost > 0) {
            for (int j = count - pendingLost; j < count; j++) {
                cc.onPacketLost(packets[j], nowNs);
                bytesInFlight -= packetBytes;
            }
            cc.onAckProcessed(nowNs, -1, minRttNs, bytesInFlight);
        }
    }

    /** Lets time pass with nothing sent. */
    void idle(long durationNs) {
        nowNs += durationNs;
    }

    /** A flight without loss. */
    void flight(int count, long rttNs, long spacingNs) {
        flight(count, rttNs, spacingNs, i -> false);
    }
}
