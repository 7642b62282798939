package io.udpix.engine.connection;

import io.udpix.engine.util.RangeSet;
import io.udpix.wire.AckFrame;
import java.nio.ByteBuffer;

/**
 * The receiving side of acknowledgement: which packet numbers arrived, when to acknowledge, and the ACK frame.
 *
 * <p>Rules (RFC 9000 section 13.2): acknowledge at least every second ack-eliciting packet and at once when a
 * packet arrives out of order; otherwise within {@code maxAckDelayNs}; never acknowledge only non-ack-eliciting
 * packets. Once a packet carrying an ACK frame is itself acknowledged, the numbers that ACK covered need no longer
 * be reported (section 13.2.4), which keeps ranges few.
 */
final class AckTracker {
    /** Ranges of packet numbers kept; the oldest is forgotten beyond this (the peer then retransmits them). */
    static final int MAX_TRACKED_RANGES = 256;
    /** Ack-eliciting packets received before an immediate acknowledgement (RFC 9000 section 13.2.2). */
    static final int ACK_ELICITING_THRESHOLD = 2;

    private final AckFrame ackFrame = new AckFrame();
    private final RangeSet received = new RangeSet(MAX_TRACKED_RANGES);
    private final long maxAckDelayNs;
    private long floorPacketNumber;
    private long lastLargestAcknowledged = -1;
    private long largestReceived = -1;
    private long largestReceivedTimeNs;
    private int unackedElicitingCount;
    private boolean ackPending;
    private boolean ackImmediately;
    private long ackDeadlineNs = Long.MAX_VALUE;

    AckTracker(long maxAckDelayNs) {
        this.maxAckDelayNs = maxAckDelayNs;
    }

    /** Gives back range storage grown for a past burst of losses (called when the connection is idle). */
    void trim() {
        received.trim();
    }

    /** True (and recorded) when {@code packetNumber} is new; false for a duplicate or one below the floor. */
    boolean isNew(long packetNumber) {
        return packetNumber >= floorPacketNumber && !received.contains(packetNumber);
    }

    /** Records a newly received packet. */
    void onPacketReceived(long packetNumber, boolean ackEliciting, long nowNs) {
        boolean outOfOrder = !received.isEmpty() && packetNumber != received.lastEnd();
        if (!received.add(packetNumber, packetNumber + 1)) {
            received.removeFirstRange();
            received.add(packetNumber, packetNumber + 1);
        }
        if (packetNumber > largestReceived) {
            largestReceived = packetNumber;
            largestReceivedTimeNs = nowNs;
        }
        if (!ackEliciting) {
            return;
        }
        ackPending = true;
        unackedElicitingCount++;
        if (unackedElicitingCount >= ACK_ELICITING_THRESHOLD || outOfOrder) {
            ackImmediately = true;
        } else if (ackDeadlineNs == Long.MAX_VALUE) {
            ackDeadlineNs = nowNs + maxAckDelayNs;
        }
    }

    /** Whether an ACK frame should go out now (alone if nothing else is to be sent). */
    boolean ackDue(long nowNs) {
        return ackPending && (ackImmediately || nowNs >= ackDeadlineNs);
    }

    /** Whether an ACK frame would carry news (piggybacked on any packet we send anyway). */
    boolean hasAckToSend() {
        return ackPending;
    }

    /** When a delayed ACK must be sent, or Long.MAX_VALUE. */
    long ackDeadlineNs() {
        return ackPending ? (ackImmediately ? 0 : ackDeadlineNs) : Long.MAX_VALUE;
    }

    /** Bytes the ACK frame would take now. */
    int frameLengthBytes() {
        int ranges = Math.min(received.rangeCount() - 1, AckFrame.MAX_RANGES);
        return AckFrame.length(Math.max(0, ranges));
    }

    /**
     * Writes the ACK frame at {@code offset} (at most {@code maxBytes}); returns the new offset, or {@code offset}
     * when nothing was received yet. Resets the acknowledgement triggers.
     */
    int writeAckFrame(ByteBuffer buf, int offset, int maxBytes, long nowNs) {
        int n = received.rangeCount();
        if (n == 0) {
            ackPending = false;
            ackImmediately = false;
            return offset;
        }
        int extraRanges = Math.min(n - 1, Math.min(AckFrame.MAX_RANGES, (maxBytes - AckFrame.length(0)) / 8));
        if (extraRanges < 0) {
            return offset;
        }
        AckFrame ack = ackFrame.wrap(buf, offset);
        int last = n - 1;
        long largest = received.end(last) - 1;
        ack.writeType().largestAcknowledged(largest);
        lastLargestAcknowledged = largest;
        long delayUs = Math.max(0, (nowNs - largestReceivedTimeNs) / 1000);
        ack.ackDelayUs(Math.min(delayUs, 0xFFFF_FFFFL));
        ack.rangeCount(extraRanges);
        ack.firstRange(largest - received.start(last));
        long previousSmallest = received.start(last);
        for (int i = 0; i < extraRanges; i++) {
            int r = last - 1 - i;
            long rangeLargest = received.end(r) - 1;
            // RFC 9000 section 19.3.1: Gap = previous smallest - this largest - 2; Length = largest - smallest.
            ack.gap(i, previousSmallest - rangeLargest - 2);
            ack.rangeLength(i, rangeLargest - received.start(r));
            previousSmallest = received.start(r);
        }
        ackPending = false;
        ackImmediately = false;
        unackedElicitingCount = 0;
        ackDeadlineNs = Long.MAX_VALUE;
        return offset + AckFrame.length(extraRanges);
    }

    /** Largest Acknowledged of the last ACK frame written, or -1. */
    long lastLargestAcknowledged() {
        return lastLargestAcknowledged;
    }

    /** An ACK frame we sent with this largest number was acknowledged: stop reporting what it covered. */
    void onAckFrameAcknowledged(long largestAckCarried) {
        if (largestAckCarried + 1 > floorPacketNumber) {
            floorPacketNumber = largestAckCarried + 1;
            received.removeBelow(floorPacketNumber);
        }
    }
}
