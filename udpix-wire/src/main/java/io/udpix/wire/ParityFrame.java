package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * PARITY (type 0x22): the XOR of one column of a frame's fragments, so the receiver can rebuild one lost fragment
 * of that column without a round trip. Ack-eliciting, never retransmitted. docs/PROTOCOL.md section 4.14.
 *
 * <pre>
 *  0      1            5              9       10                     18             22         24
 *  +------+------------+--------------+-------+----------------------+--------------+----------+
 *  | 0x22 | streamId   | frameNumber  | flags | capture us u64       | frameLength  | fragment |
 *  |      | u32        | u32          | u8    | (sender clock)       | u32 = L      | size u16 |
 *  |      |            |              |       | 0..2^63-1            | 1..2^31-1    | = F >= 1 |
 *  +------+------------+--------------+-------+----------------------+--------------+----------+
 *  24         26         28           30
 *  +----------+----------+------------+-----------------------------------------+
 *  | stride   | group    | dataLength | data (F bytes): XOR of the fragments    |
 *  | u16 = G  | u16 = g  | u16 = F    | {i : i mod G == g}, each zero-padded to F|
 *  +----------+----------+------------+-----------------------------------------+
 * </pre>
 *
 * <p>{@code 1 <= G <= ceil(L/F)}, {@code g < G}, data length equal to F (all checked). With stride G, G consecutive
 * losses hit G different columns, so a burst of up to G packets is recoverable (cf. SRT's packet filter FEC
 * columns). Flags are 0 in this version; receivers ignore unknown bits. Total length {@code 30 + F}.
 */
public final class ParityFrame extends StreamDataFrame {

    /** Offset of the u16 stride (number of columns). */
    public static final int STRIDE_OFFSET = 24;
    /** Offset of the u16 group (column). */
    public static final int GROUP_OFFSET = 26;
    /** Offset of the u16 data length. */
    public static final int DATA_LENGTH_OFFSET = 28;
    /** Frame length before the data; also the data's offset relative to the frame. */
    public static final int HEADER_LENGTH = 30;

    /** Points this flyweight at the frame's type byte; returns this. */
    public ParityFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The stride G: how many columns the frame's fragments are split into. */
    public int stride() {
        return BigEndian.getU16(buffer, offset + STRIDE_OFFSET);
    }

    /** The column g this parity covers: fragments {@code i} with {@code i mod G == g}. */
    public int group() {
        return BigEndian.getU16(buffer, offset + GROUP_OFFSET);
    }

    /** Number of data bytes (equal to the fragment size). */
    public int dataLength() {
        return BigEndian.getU16(buffer, offset + DATA_LENGTH_OFFSET);
    }

    /** Absolute buffer index of the first parity byte. */
    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** This frame's length: {@code 30 + F}. */
    public int length() {
        return HEADER_LENGTH + dataLength();
    }

    /**
     * Writes the type byte and the fields of a PARITY at {@code offset}; returns the absolute index where the caller
     * copies the {@code fragmentSize} parity bytes. Allocates nothing. Throws IllegalArgumentException when a value
     * breaks a rule of {@link #check} or the frame does not fit below the buffer's limit.
     */
    public static int writeHeader(ByteBuffer buf, int offset, long streamId, long frameNumber, int flags,
                                  long captureUs, int frameLength, int fragmentSize, int stride, int group) {
        requirePrefix(streamId, frameNumber, flags, captureUs, frameLength, fragmentSize);
        int count = fragmentCount(frameLength, fragmentSize);
        // The stride is a u16 on the wire: a frame of 65,536 fragments still takes at most 65,535 groups.
        int maxStride = Math.min(count, BigEndian.MAX_U16);
        if (stride < 1 || stride > maxStride || group < 0 || group >= stride) {
            throw new IllegalArgumentException("stride " + stride + " and group " + group + " do not fit a frame of "
                    + count + " fragments: need 1 <= stride <= " + maxStride + " and 0 <= group < stride");
        }
        Bounds.requireRoom(buf, offset, HEADER_LENGTH + fragmentSize, "PARITY frame");
        putPrefix(buf, offset, FrameType.PARITY, streamId, frameNumber, flags, captureUs, frameLength, fragmentSize);
        BigEndian.putU16(buf, offset + STRIDE_OFFSET, stride);
        BigEndian.putU16(buf, offset + GROUP_OFFSET, group);
        BigEndian.putU16(buf, offset + DATA_LENGTH_OFFSET, fragmentSize);
        return offset + HEADER_LENGTH;
    }

    /**
     * Validates a PARITY at {@code offset} ending at or before {@code limit}: type byte, capture time 0..2^63-1,
     * frame layout as in {@link FragmentFrame#check}, {@code 1 <= G <= ceil(L/F)}, {@code g < G}, data length F,
     * data inside. Flags are not judged. Returns {@code 30 + F} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!checkPrefix(buf, offset, limit, FrameType.PARITY, HEADER_LENGTH)) {
            return -1;
        }
        long frameLength = BigEndian.getU32(buf, offset + FRAME_LENGTH_OFFSET);
        int fragmentSize = BigEndian.getU16(buf, offset + FRAGMENT_SIZE_OFFSET);
        int stride = BigEndian.getU16(buf, offset + STRIDE_OFFSET);
        int group = BigEndian.getU16(buf, offset + GROUP_OFFSET);
        int dataLength = BigEndian.getU16(buf, offset + DATA_LENGTH_OFFSET);
        if (stride < 1 || stride > fragmentCount(frameLength, fragmentSize) || group >= stride
                || dataLength != fragmentSize || !Bounds.fits(buf, offset, limit, HEADER_LENGTH + dataLength)) {
            return -1;
        }
        return HEADER_LENGTH + dataLength;
    }
}
