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
    /** When the latest new fragment went out. */
    long lastNewSentNs;
    /** Next fragment never sent. */
    int nextNew;
    /** Next parity group to send (0..stride). */
    int nextParity;
    private long[] acked = new long[1];
    private long[] retransmit = new long[1];
    /**
     * Extra copies of last-chance repairs waiting to go ({@link #planCopies}): after every real repair of the
     * frame, so that under a tight window they never delay another fragment's first repair.
     */
    private long[] copyQueue = new long[1];
    int copyQueueCount;
    /** Fragments whose last packet was declared lost and that were not acknowledged since. */
    private long[] lost = new long[1];
    /** Parity groups whose packet was declared lost. */
    private long[] parityLost = new long[1];
    /** Parity groups whose packet was acknowledged: the receiver has that column's parity. */
    private long[] parityAcked = new long[1];
    /**
     * Lost fragments not queued for a repair because their group's parity (sent, not known lost) rebuilds them at
     * the receiver: at most one per group ({@link #groupHolds}).
     */
    private long[] held = new long[1];
    /** Parity groups holding a fragment back ({@link #held}). */
    private long[] groupHolds = new long[1];
    /** Fragments whose last-chance repair goes more than once ({@link #planCopies}). */
    private long[] copiesPlanned = new long[1];
    /**
     * Per fragment with copies planned: bits 0-7 the extra copies of its repair in flight (that many declared
     * losses are absorbed), bits 8-15 the extra copies still to send.
     */
    private int[] copies = new int[1];
    /** Per parity group: its fragments not acknowledged yet (valid for groups 0..stride-1). */
    private int[] groupMissing = new int[1];
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
        lastNewSentNs = Long.MIN_VALUE / 4;
        int words = (count + 63) >>> 6;
        if (acked.length < words) {
            acked = new long[words];
            retransmit = new long[words];
            copyQueue = new long[words];
            lost = new long[words];
            parityLost = new long[words];
            parityAcked = new long[words];
            held = new long[words];
            groupHolds = new long[words];
            copiesPlanned = new long[words];
        } else {
            Arrays.fill(acked, 0, words, 0L);
            Arrays.fill(retransmit, 0, words, 0L);
            Arrays.fill(copyQueue, 0, words, 0L);
            Arrays.fill(lost, 0, words, 0L);
            Arrays.fill(parityLost, 0, words, 0L);
            Arrays.fill(parityAcked, 0, words, 0L);
            Arrays.fill(held, 0, words, 0L);
            Arrays.fill(groupHolds, 0, words, 0L);
            Arrays.fill(copiesPlanned, 0, words, 0L);
        }
        if (groupMissing.length < stride) {
            groupMissing = new int[stride];
        }
        for (int g = 0; g < stride; g++) {
            groupMissing[g] = FrameLayout.groupFragmentCount(count, stride, g);
        }
        ackedCount = 0;
        retransmitCount = 0;
        copyQueueCount = 0;
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

    /** Whether an extra copy of a last-chance repair waits to go. */
    boolean hasCopy() {
        return copyQueueCount > 0;
    }

    /** Whether anything of this frame waits to be sent (repairs, their copies, new fragments or parity). */
    boolean hasWork() {
        return hasRetransmit() || hasCopy() || hasNew() || hasParity();
    }

    /** The lowest fragment with an extra copy waiting, or -1. */
    int firstCopy() {
        int words = (count + 63) >>> 6;
        for (int w = 0; w < words && copyQueueCount > 0; w++) {
            long bits = copyQueue[w];
            if (bits != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        copyQueueCount = 0; // unreachable while the count is kept exact
        return -1;
    }

    /** Drops the extra copies still waiting (they could no longer arrive in time). */
    void dropCopies() {
        Arrays.fill(copyQueue, 0, (count + 63) >>> 6, 0L);
        copyQueueCount = 0;
    }

    /** Queues an extra copy of fragment {@code i}'s repair; false when it arrived meanwhile. */
    private boolean queueCopy(int i) {
        if (i < 0 || i >= nextNew || isAcked(i)) {
            return false;
        }
        if (!has(copyQueue, i)) {
            set(copyQueue, i);
            copyQueueCount++;
        }
        return true;
    }

    private void unqueueCopy(int i) {
        if (has(copyQueue, i)) {
            clear(copyQueue, i);
            copyQueueCount--;
        }
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
        } else {
            unqueueCopy(i);
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
        markAcked(i);
        if (stride > 0) {
            inferRebuilt(i % stride);
        }
        return true;
    }

    /** Fragment {@code i} (not acknowledged before) is known to be at the receiver. */
    private void markAcked(int i) {
        long bit = 1L << i;
        int w = i >>> 6;
        if ((retransmit[w] & bit) != 0) {
            retransmit[w] &= ~bit;
            retransmitCount--;
        }
        unqueueCopy(i);
        lost[w] &= ~bit;
        held[w] &= ~bit;
        acked[w] |= bit;
        ackedCount++;
        if (stride > 0) {
            groupMissing[i % stride]--;
        }
    }

    /**
     * When group {@code g}'s parity was acknowledged and exactly one of its fragments was not, the receiver rebuilt
     * that one from the parity (docs/PROTOCOL.md 5.8.5): it counts as acknowledged, and a repair queued for it is
     * dropped. Scans the group once, when its last missing fragment is the only one left.
     */
    private void inferRebuilt(int g) {
        if (groupMissing[g] != 1 || !has(parityAcked, g)) {
            return;
        }
        for (int k = g; k < count; k += stride) {
            if (!isAcked(k)) {
                markAcked(k);
                break;
            }
        }
        clear(groupHolds, g);
    }

    /** Parity group {@code g}'s packet was acknowledged: the receiver has that column's parity. */
    void onParityAcked(int g) {
        if (g >= 0 && g < stride && !has(parityAcked, g)) {
            set(parityAcked, g);
            inferRebuilt(g);
        }
    }

    /**
     * Fragment {@code i}'s packet was declared lost: holds it back instead of repairing it when its group's parity
     * went out and was not declared lost, and the group holds no other fragment (one parity rebuilds one fragment).
     * Returns whether it is held; a held fragment is repaired only if the parity turns out lost
     * ({@link #onParityLost}).
     */
    boolean holdForParity(int i) {
        if (stride == 0 || i < 0 || i >= count || isAcked(i)) {
            return false;
        }
        int g = i % stride;
        if (has(held, i)) {
            return true;
        }
        if (g >= nextParity || has(parityLost, g) || has(groupHolds, g)) {
            return false;
        }
        set(held, i);
        set(groupHolds, g);
        return true;
    }

    /**
     * Parity group {@code g}'s packet was declared lost. Returns the fragment the group held back for it, which now
     * needs a repair, or -1.
     */
    int onParityLost(int g) {
        if (g < 0 || g >= stride || has(parityAcked, g)) {
            return -1;
        }
        set(parityLost, g);
        if (!has(groupHolds, g)) {
            return -1;
        }
        clear(groupHolds, g);
        for (int k = g; k < count; k += stride) {
            if (has(held, k)) {
                clear(held, k);
                return k;
            }
        }
        return -1;
    }

    /** Whether fragment {@code i} is held back for its group's parity. */
    boolean isHeld(int i) {
        return i >= 0 && i < count && has(held, i);
    }

    /**
     * A repair of fragment {@code i} went out. When its extra copies were planned ({@link #planCopies}) this was one
     * of them: one more loss to absorb, and the next copy queued while any is left. Returns whether copies were
     * planned before (then the caller plans nothing).
     */
    boolean onRepairSent(int i) {
        if (!has(copiesPlanned, i)) {
            return false;
        }
        int left = (copies[i] >>> 8) & 0xFF;
        int inFlight = Math.min(0xFF, (copies[i] & 0xFF) + 1);
        if (left > 0 && queueCopy(i)) {
            left--;
        }
        copies[i] = left << 8 | inFlight;
        return true;
    }

    /**
     * The repair of fragment {@code i} that just went out is the frame's last chance (were it lost, no later repair
     * could arrive in time): it goes {@code total} times in all (2..255), so that a lost packet does not cost the
     * frame. Queues the next copy.
     */
    void planCopies(int i, int total) {
        if (total < 2 || has(copiesPlanned, i) || isAcked(i)) {
            return;
        }
        if (copies.length < count) {
            copies = new int[Math.max(count, copies.length * 2)];
        }
        set(copiesPlanned, i);
        int left = Math.min(0xFF, total - 1);
        if (queueCopy(i)) {
            left--;
        }
        copies[i] = left << 8; // the copy that just went is not extra: nothing to absorb yet
    }

    /**
     * A packet with fragment {@code i} was declared lost: returns true when another copy of its repair is still
     * in flight (the loss is absorbed, nothing to do), false when the loss counts.
     */
    boolean absorbLoss(int i) {
        if (i < 0 || i >= count || !has(copiesPlanned, i) || (copies[i] & 0xFF) == 0) {
            return false;
        }
        copies[i]--;
        return true;
    }

    private static boolean has(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static void clear(long[] bits, int i) {
        bits[i >>> 6] &= ~(1L << i);
    }

    /** Fragment {@code i}'s packet was declared lost (whether or not it goes again). */
    void markLost(int i) {
        if (i >= 0 && i < count && !isAcked(i)) {
            lost[i >>> 6] |= 1L << i;
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
