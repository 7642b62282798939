package io.udpix.engine.stream;

import java.nio.ByteBuffer;

/**
 * The receiver's buffer for one frame (docs/PROTOCOL.md sections 4.14-4.15): fragments are copied into place as
 * they come (duplicates ignored), PARITY is kept per group, and a group with exactly one fragment missing gets it
 * back as soon as its parity and the rest are there, whichever came first. Never throws on what arrives:
 * a packet that does not fit this frame (another length or fragment size, an index, stride or length out of
 * range) is rejected, counted, and its reason kept in {@link #lastRejection()}.
 *
 * <p>Memory: the frame's bytes (allocated once, at construction) plus, from the first parity on, F bytes per
 * group of its stride; {@link #footprintBytes()} is what to charge to a reassembly budget and
 * {@link #maxFootprintBytes} its bound. One frame has one stride: parity with another stride is rejected.
 */
public final class FrameAssembly {
    private static final int OBJECT_OVERHEAD_BYTES = 128;

    private final int frameLengthBytes;
    private final int fragmentSizeBytes;
    private final int count;
    private final byte[] data;
    private final long[] present;
    private int presentCount;

    private int stride;
    private byte[] parity;
    private long[] parityPresent;
    private int[] missingInGroup;

    private long receivedDataBytes;
    private long receivedParityBytes;
    private int recoveredFragments;
    private int duplicates;
    private int rejected;
    private String lastRejection;

    /**
     * A buffer for a frame of {@code frameLengthBytes} in fragments of {@code fragmentSizeBytes}, as the first
     * packet of the frame says; throws IllegalArgumentException for a layout {@link FrameLayout#isValid} refuses
     * (check that first: the wire's own checks already do).
     */
    public FrameAssembly(long frameLengthBytes, int fragmentSizeBytes) {
        this.count = FrameLayout.fragmentCount(frameLengthBytes, fragmentSizeBytes);
        this.frameLengthBytes = (int) frameLengthBytes;
        this.fragmentSizeBytes = fragmentSizeBytes;
        this.data = new byte[this.frameLengthBytes];
        this.present = new long[(count + 63) >>> 6];
    }

    /** The most a frame of this layout can hold: its bytes, parity at the largest stride, and bookkeeping. */
    public static long maxFootprintBytes(long frameLengthBytes, int fragmentSizeBytes) {
        long count = FrameLayout.fragmentCount(frameLengthBytes, fragmentSizeBytes);
        return frameLengthBytes + count * fragmentSizeBytes + bookkeepingBytes(count, count);
    }

    /** Whether a packet's frame length and fragment size are this frame's. */
    public boolean hasLayout(long frameLengthBytes, int fragmentSizeBytes) {
        return frameLengthBytes == this.frameLengthBytes && fragmentSizeBytes == this.fragmentSizeBytes;
    }

    /**
     * Takes fragment {@code index}, whose packet says the frame is {@code frameLengthBytes} long in fragments of
     * {@code fragmentSizeBytes}; a packet with another layout is rejected (a sender fixes both per frame).
     */
    public boolean addFragment(long frameLengthBytes, int fragmentSizeBytes, int index, ByteBuffer src,
            int offset, int length) {
        if (!hasLayout(frameLengthBytes, fragmentSizeBytes)) {
            return reject("frame length or fragment size differs from the frame's first packet");
        }
        return addFragment(index, src, offset, length);
    }

    /**
     * Copies fragment {@code index} from {@code src[offset..+length)} (absolute indices; position and limit
     * untouched). Returns true if it was new; false for a duplicate (also one recovered by parity before) or a
     * rejected one (index out of range, length not the fragment's, bytes outside {@code src}).
     */
    public boolean addFragment(int index, ByteBuffer src, int offset, int length) {
        if (index < 0 || index >= count) {
            return reject("fragment index beyond the frame's fragment count");
        }
        if (length != FrameLayout.lengthUnchecked(frameLengthBytes, fragmentSizeBytes, index)) {
            return reject("fragment length is not the one its index and the frame's layout give");
        }
        if (offset < 0 || offset > src.limit() - length) {
            return reject("fragment bytes lie outside the packet");
        }
        if (isPresent(index)) {
            duplicates++;
            return false;
        }
        src.get(offset, data, index * fragmentSizeBytes, length);
        markPresent(index);
        receivedDataBytes += length;
        if (stride > 0) {
            int group = index % stride;
            if (--missingInGroup[group] == 1 && isParityPresent(group)) {
                recover(group);
            }
        }
        return true;
    }

    /** Takes a PARITY whose packet says the frame's layout; another layout is rejected. */
    public boolean addParity(long frameLengthBytes, int fragmentSizeBytes, int stride, int group, ByteBuffer src,
            int offset, int length) {
        if (!hasLayout(frameLengthBytes, fragmentSizeBytes)) {
            return reject("frame length or fragment size differs from the frame's first packet");
        }
        return addParity(stride, group, src, offset, length);
    }

    /**
     * Keeps the parity of group {@code group} of stride {@code stride} (F bytes at {@code src[offset..]}) and
     * recovers the group's one missing fragment if it has exactly one. Returns true if it was new; false for a
     * duplicate or a rejected one (stride not 1..count or not the frame's first stride, group not below stride,
     * length not F, bytes outside {@code src}).
     */
    public boolean addParity(int stride, int group, ByteBuffer src, int offset, int length) {
        if (stride < 1 || stride > count || group < 0 || group >= stride) {
            return reject("parity stride or group out of range for the frame's fragment count");
        }
        if (this.stride != 0 && stride != this.stride) {
            return reject("parity stride differs from an earlier parity of this frame");
        }
        if (length != fragmentSizeBytes) {
            return reject("parity length is not the frame's fragment size");
        }
        if (offset < 0 || offset > src.limit() - length) {
            return reject("parity bytes lie outside the packet");
        }
        if (this.stride == 0) {
            if ((long) stride * fragmentSizeBytes > Integer.MAX_VALUE - 16) {
                return reject("parity for this stride would not fit one array; the sender's stride is too large");
            }
            startParity(stride);
        }
        if (isParityPresent(group)) {
            duplicates++;
            return false;
        }
        parityPresent[group >>> 6] |= 1L << group;
        receivedParityBytes += length;
        if (missingInGroup[group] == 1) {
            src.get(offset, parity, group * fragmentSizeBytes, length);
            recover(group);
        } else if (missingInGroup[group] > 1) {
            src.get(offset, parity, group * fragmentSizeBytes, length);
        }
        return true;
    }

    private void startParity(int newStride) {
        stride = newStride;
        parity = new byte[newStride * fragmentSizeBytes];
        parityPresent = new long[(newStride + 63) >>> 6];
        missingInGroup = new int[newStride];
        for (int g = 0; g < newStride; g++) {
            int missing = 0;
            for (int i = g; i < count; i += newStride) {
                if (!isPresent(i)) {
                    missing++;
                }
            }
            missingInGroup[g] = missing;
        }
    }

    /** The group's one missing fragment = its parity XOR every other fragment of the group (padded with zeros). */
    private void recover(int group) {
        int missing = -1;
        for (int i = group; i < count; i += stride) {
            if (!isPresent(i)) {
                missing = i;
                break;
            }
        }
        int length = FrameLayout.lengthUnchecked(frameLengthBytes, fragmentSizeBytes, missing);
        int target = missing * fragmentSizeBytes;
        System.arraycopy(parity, group * fragmentSizeBytes, data, target, length);
        for (int i = group; i < count; i += stride) {
            if (i != missing) {
                int other = FrameLayout.lengthUnchecked(frameLengthBytes, fragmentSizeBytes, i);
                Xor.into(data, i * fragmentSizeBytes, data, target, Math.min(other, length));
            }
        }
        markPresent(missing);
        missingInGroup[group] = 0;
        recoveredFragments++;
    }

    private boolean reject(String reason) {
        rejected++;
        lastRejection = reason;
        return false;
    }

    private boolean isPresent(int index) {
        return (present[index >>> 6] & (1L << index)) != 0;
    }

    private void markPresent(int index) {
        present[index >>> 6] |= 1L << index;
        presentCount++;
    }

    private boolean isParityPresent(int group) {
        return (parityPresent[group >>> 6] & (1L << group)) != 0;
    }

    /** Whether every fragment is there (received or recovered). */
    public boolean isComplete() {
        return presentCount == count;
    }

    /** Whether fragment {@code index} is there (received or recovered); false out of range. */
    public boolean hasFragment(int index) {
        return index >= 0 && index < count && isPresent(index);
    }

    /**
     * The complete frame. The array is the assembly's own, handed over (no copy): use the assembly no more.
     * Throws IllegalStateException while fragments are missing.
     */
    public byte[] bytes() {
        if (!isComplete()) {
            throw new IllegalStateException("frame not complete: " + presentCount + " of " + count
                    + " fragments; check isComplete() first");
        }
        return data;
    }

    /** The buffer as it is, complete or not (tests check that what it holds is exact). */
    byte[] partialBytes() {
        return data;
    }

    /** Whether parity recovered at least one fragment. */
    public boolean fecUsed() {
        return recoveredFragments > 0;
    }

    /** Fragments recovered from parity. */
    public int recoveredFragments() {
        return recoveredFragments;
    }

    /** Frame bytes that arrived in new FRAGMENTs (not recovered ones). */
    public long receivedDataBytes() {
        return receivedDataBytes;
    }

    /** Parity bytes that arrived (new PARITY frames). */
    public long receivedParityBytes() {
        return receivedParityBytes;
    }

    /** Everything new that arrived for this frame: data and parity; above 0 means "late", not "lost". */
    public long receivedBytes() {
        return receivedDataBytes + receivedParityBytes;
    }

    /** Fragments there now. */
    public int presentFragments() {
        return presentCount;
    }

    /** ceil(L/F). */
    public int fragmentCount() {
        return count;
    }

    /** L. */
    public int frameLengthBytes() {
        return frameLengthBytes;
    }

    /** F. */
    public int fragmentSizeBytes() {
        return fragmentSizeBytes;
    }

    /** The frame's parity stride, 0 before the first parity. */
    public int stride() {
        return stride;
    }

    /** Duplicate fragments and parities ignored. */
    public int duplicates() {
        return duplicates;
    }

    /** Packets rejected as not fitting this frame. */
    public int rejected() {
        return rejected;
    }

    /** Why the latest packet was rejected, or null if none was. */
    public String lastRejection() {
        return lastRejection;
    }

    /** Heap this frame holds now: its bytes, its parity and bookkeeping (charge this to a reassembly budget). */
    public long footprintBytes() {
        return frameLengthBytes + (parity == null ? 0 : parity.length) + bookkeepingBytes(count, stride);
    }

    private static long bookkeepingBytes(long count, long stride) {
        return OBJECT_OVERHEAD_BYTES + ((count + 63) >>> 6) * 8 + (stride == 0 ? 0 : ((stride + 63) >>> 6) * 8
                + stride * 4);
    }
}
