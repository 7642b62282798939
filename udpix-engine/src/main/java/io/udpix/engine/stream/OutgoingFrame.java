package io.udpix.engine.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sender's state of one frame that started to go (docs/PROTOCOL.md sections 4.14-4.15): its bytes, its
 * fragment size, which fragments were sent, acknowledged or wait to be sent again, and its parity groups.
 * Instances are pooled per stream ({@link OutgoingStream}) and reused: the bit sets only grow, to the largest frame
 * the stream has sent, so a steady stream allocates nothing per frame or per packet.
 */
public final class OutgoingFrame {
    byte[] data;
    long frameNumber;
    long captureNs;
    long deadlineNs;
    int lengthBytes;
    int fragmentBytes;
    int count;
    /** Parity stride G (0: no parity for this frame). */
    int stride;
    /** Next fragment never sent. */
    int nextNew;
    /** Next parity group to send (0..stride). */
    int nextParity;
    private long[] acked = new long[1];
    private long[] retransmit = new long[1];
    /** Fragments whose last packet was declared lost and that were not acknowledged since. */
    private long[] lost = new long[1];
    /** Parity groups whose packet was declared lost. */
    private long[] parityLost = new long[1];
    int ackedCount;
    int retransmitCount;
    /** Lowest word of {@link #retransmit} that may hold a bit: the scan for the next repair starts there. */
    private int retransmitWord;
    boolean live;

    /** Starts this (pooled) slot as frame {@code frameNumber} with fragments of {@code fragmentBytes}. */
    void start(byte[] frame, long number, long capture, long deadline, int fragmentSize, int parityStride) {
        data = frame;
        frameNumber = number;
        captureNs = capture;
        deadlineNs = deadline;
        lengthBytes = frame.length;
        fragmentBytes = fragmentSize;
        count = fragmentCount(frame.length, fragmentSize);
        stride = Math.min(parityStride, count);
        nextNew = 0;
        nextParity = 0;
        int words = (count + 63) >>> 6;
        if (acked.length < words) {
            acked = new long[words];
            retransmit = new long[words];
            lost = new long[words];
            parityLost = new long[words];
        } else {
            Arrays.fill(acked, 0, words, 0L);
            Arrays.fill(retransmit, 0, words, 0L);
            Arrays.fill(lost, 0, words, 0L);
            Arrays.fill(parityLost, 0, words, 0L);
        }
        ackedCount = 0;
        retransmitCount = 0;
        retransmitWord = 0;
        live = true;
    }

    /** Frees the slot: the frame's bytes are no longer referenced. */
    void free() {
        live = false;
        data = null;
    }

    /** ceil(lengthBytes / fragmentBytes), at least 1. */
    public static int fragmentCount(int lengthBytes, int fragmentBytes) {
        return Math.max(1, FrameLayout.fragmentCount(lengthBytes, fragmentBytes));
    }

    /** The frame number (assigned when the frame started to go). */
    public long frameNumber() {
        return frameNumber;
    }

    /** Capture time on the sender's clock. */
    public long captureNs() {
        return captureNs;
    }

    /** Capture time plus the stream's effective budget. */
    public long deadlineNs() {
        return deadlineNs;
    }

    /** The frame's length L. */
    public int lengthBytes() {
        return lengthBytes;
    }

    /** Fragment size F, fixed for the frame. */
    public int fragmentBytes() {
        return fragmentBytes;
    }

    /** Number of fragments, ceil(L/F). */
    public int fragmentCount() {
        return count;
    }

    /** Parity stride G, 0 when the frame has no parity. */
    public int stride() {
        return stride;
    }

    /** Byte offset of fragment {@code i}. */
    public int fragmentOffset(int i) {
        return i * fragmentBytes;
    }

    /** Length of fragment {@code i} (F, or less for the last). */
    public int fragmentLength(int i) {
        return Math.min(fragmentBytes, lengthBytes - i * fragmentBytes);
    }

    /** The frame's bytes (the application's array; never changed by the engine). */
    public byte[] data() {
        return data;
    }

    boolean isAcked(int i) {
        return (acked[i >>> 6] & (1L << i)) != 0;
    }

    /** Whether every fragment was acknowledged. */
    boolean complete() {
        return ackedCount == count;
    }

    boolean hasRetransmit() {
        return retransmitCount > 0;
    }

    boolean hasNew() {
        return nextNew < count;
    }

    boolean hasParity() {
        return nextNew == count && nextParity < stride;
    }

    /** Whether anything of this frame waits to be sent (repairs, new fragments or parity). */
    boolean hasWork() {
        return hasRetransmit() || hasNew() || hasParity();
    }

    /** Bytes not yet sent that the frame still needs: new fragments and queued repairs (parity excluded). */
    long unsentBytes() {
        long bytes = nextNew < count ? lengthBytes - (long) nextNew * fragmentBytes : 0;
        return bytes + (long) retransmitCount * fragmentBytes;
    }

    /** The lowest fragment queued for retransmission, or -1. */
    int firstRetransmit() {
        if (retransmitCount == 0) {
            return -1;
        }
        int words = (count + 63) >>> 6;
        for (int w = retransmitWord; w < words; w++) {
            long bits = retransmit[w];
            if (bits != 0) {
                retransmitWord = w;
                return (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        retransmitCount = 0; // unreachable while the count is kept exact; self-heals if it ever is not
        return -1;
    }

    /** Fragment {@code i} went out (first time or again). */
    void onFragmentSent(int i) {
        if (i == nextNew) {
            nextNew++;
        }
        long bit = 1L << i;
        if ((retransmit[i >>> 6] & bit) != 0) {
            retransmit[i >>> 6] &= ~bit;
            retransmitCount--;
        }
    }

    /** Parity group {@code g} went out. */
    void onParitySent(int g) {
        if (g == nextParity) {
            nextParity++;
        }
    }

    /** Fragment {@code i} arrived (its packet was acknowledged); returns whether that is news. */
    boolean onFragmentAcked(int i) {
        if (i < 0 || i >= count) {
            return false;
        }
        long bit = 1L << i;
        int w = i >>> 6;
        if ((retransmit[w] & bit) != 0) {
            // A spurious loss (or a probe's re-queue): it arrived after all, no need to send it again.
            retransmit[w] &= ~bit;
            retransmitCount--;
        }
        lost[w] &= ~bit;
        if ((acked[w] & bit) != 0) {
            return false;
        }
        acked[w] |= bit;
        ackedCount++;
        return true;
    }

    /** Fragment {@code i}'s packet was declared lost (whether or not it goes again). */
    void markLost(int i) {
        if (i >= 0 && i < count && !isAcked(i)) {
            lost[i >>> 6] |= 1L << i;
        }
    }

    /** Parity group {@code g}'s packet was declared lost. */
    void markParityLost(int g) {
        if (g >= 0 && g < stride) {
            parityLost[g >>> 6] |= 1L << g;
        }
    }

    /**
     * Whether the receiver can rebuild fragment {@code i} from its group's parity as far as the sender knows: the
     * parity went out and was not declared lost, and no other fragment of the group is known lost.
     */
    boolean parityMayRecover(int i) {
        if (stride == 0) {
            return false;
        }
        int g = i % stride;
        if (g >= nextParity || (parityLost[g >>> 6] & (1L << g)) != 0) {
            return false;
        }
        for (int k = g; k < count; k += stride) {
            if (k != i && (lost[k >>> 6] & (1L << k)) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * When every queued repair may be rebuilt from parity ({@link #parityMayRecover}), drops them all and returns
     * true; otherwise changes nothing and returns false.
     */
    boolean dropRepairsParityMayRecover() {
        int words = (count + 63) >>> 6;
        for (int w = 0; w < words; w++) {
            long bits = retransmit[w];
            while (bits != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                if (!parityMayRecover(i)) {
                    return false;
                }
                bits &= bits - 1;
            }
        }
        Arrays.fill(retransmit, 0, words, 0L);
        retransmitCount = 0;
        return true;
    }

    /** Queues fragment {@code i} again (its packet was declared lost); false when it arrived meanwhile. */
    boolean queueRetransmit(int i) {
        if (i < 0 || i >= nextNew || isAcked(i)) {
            return false;
        }
        long bit = 1L << i;
        int w = i >>> 6;
        if ((retransmit[w] & bit) == 0) {
            retransmit[w] |= bit;
            retransmitCount++;
            if (w < retransmitWord) {
                retransmitWord = w;
            }
        }
        return true;
    }

    /**
     * Writes fragment {@code i}'s bytes at {@code index} of {@code dst} (absolute, position and limit untouched).
     */
    public void copyFragment(int i, ByteBuffer dst, int index) {
        dst.put(index, data, i * fragmentBytes, fragmentLength(i));
    }

    /**
     * Writes parity group {@code g} (F bytes) at {@code index} of {@code dst}: the XOR of fragments
     * {@code i mod G == g}, each zero-padded to F (docs/PROTOCOL.md section 4.15), straight into the datagram.
     */
    public void writeParity(int g, ByteBuffer dst, int index) {
        ParityEncoder.encode(data, 0, lengthBytes, fragmentBytes, stride, g, dst, index);
    }
}
