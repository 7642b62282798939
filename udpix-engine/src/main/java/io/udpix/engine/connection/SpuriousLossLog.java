package io.udpix.engine.connection;

import io.udpix.wire.AckFrame;
import java.util.Arrays;

/**
 * The last {@link #CAPACITY} packets declared lost (number, size, when), so that an ACK that acknowledges one of them
 * after all shows the loss was spurious (RFC 9002 section 6.1: reordering beyond the packet threshold, or a
 * duplicate that overtook the packets sent before it). The congestion controller is told, so that its queue-overflow
 * guard does not take a reordered flight for an overflowing queue. Fixed arrays: nothing allocated per packet; the
 * oldest record is overwritten.
 */
final class SpuriousLossLog {
    /** Records kept: more than a round's packets on the paths where one misjudged round matters (a first flight). */
    static final int CAPACITY = 64;

    private final long[] packetNumbers = new long[CAPACITY];
    private final int[] sizesBytes = new int[CAPACITY];
    private final long[] lostAtNs = new long[CAPACITY];
    private int next;
    private int live;

    SpuriousLossLog() {
        Arrays.fill(packetNumbers, -1);
    }

    /** Packet {@code packetNumber} of {@code sizeBytes}, counted in flight, was declared lost at {@code nowNs}. */
    void onLost(long packetNumber, int sizeBytes, long nowNs) {
        if (packetNumbers[next] < 0) {
            live++;
        }
        packetNumbers[next] = packetNumber;
        sizesBytes[next] = sizeBytes;
        lostAtNs[next] = nowNs;
        next = (next + 1) % CAPACITY;
    }

    /** What {@link #onAck} reports for each recorded packet the ACK covers. */
    interface Sink {
        void spurious(int sizeBytes, long lostAtNs);
    }

    /**
     * Reports to {@code sink} (and forgets) every recorded packet {@code ack} acknowledges. At most
     * {@link #CAPACITY} x (ranges + 1) comparisons, none while nothing is recorded.
     */
    void onAck(AckFrame ack, Sink sink) {
        if (live == 0) {
            return;
        }
        long largest = ack.largestAcknowledged();
        long smallest = largest - ack.firstRange();
        for (int r = 0; r <= ack.rangeCount() && live > 0; r++) {
            if (r > 0) {
                largest = smallest - ack.gap(r - 1) - 2;
                smallest = largest - ack.rangeLength(r - 1);
            }
            for (int i = 0; i < CAPACITY; i++) {
                long pn = packetNumbers[i];
                if (pn >= 0 && pn >= smallest && pn <= largest) {
                    packetNumbers[i] = -1;
                    live--;
                    sink.spurious(sizesBytes[i], lostAtNs[i]);
                }
            }
        }
    }
}
