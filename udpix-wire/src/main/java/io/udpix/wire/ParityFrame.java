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
public final class ParityFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 stream id. */
    public static final int STREAM_ID_OFFSET = 1;
    /** Offset of the u32 frame number. */
    public static final int FRAME_NUMBER_OFFSET = 5;
    /** Offset of the u8 flags. */
    public static final int FLAGS_OFFSET = 9;
    /** Offset of the u64 capture time in microseconds of the sender's clock. */
    public static final int CAPTURE_US_OFFSET = 10;
    /** Offset of the u32 frame length. */
    public static final int FRAME_LENGTH_OFFSET = 18;
    /** Offset of the u16 fragment size. */
    public static final int FRAGMENT_SIZE_OFFSET = 22;
    /** Offset of the u16 stride (number of columns). */
    public static final int STRIDE_OFFSET = 24;
    /** Offset of the u16 group (column). */
    public static final int GROUP_OFFSET = 26;
    /** Offset of the u16 data length. */
    public static final int DATA_LENGTH_OFFSET = 28;
    /** Frame length before the data; also the data's offset relative to the frame. */
    public static final int HEADER_LENGTH = 30;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public ParityFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The stream id, 0..2^32-1. */
    public long streamId() {
        return BigEndian.getU32(buffer, offset + STREAM_ID_OFFSET);
    }

    /** The frame number, 0..2^32-1. */
    public long frameNumber() {
        return BigEndian.getU32(buffer, offset + FRAME_NUMBER_OFFSET);
    }

    /** The flags byte (0 in this version; ignore unknown bits). */
    public int flags() {
        return BigEndian.getU8(buffer, offset + FLAGS_OFFSET);
    }

    /** The frame's capture time on the sender's clock, in microseconds. */
    public long captureUs() {
        return BigEndian.getI64(buffer, offset + CAPTURE_US_OFFSET);
    }

    /** The whole frame's length in bytes. */
    public long frameLength() {
        return BigEndian.getU32(buffer, offset + FRAME_LENGTH_OFFSET);
    }

    /** The fragment size F of this frame. */
    public int fragmentSize() {
        return BigEndian.getU16(buffer, offset + FRAGMENT_SIZE_OFFSET);
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
        Bounds.requireRange("streamId", streamId, BigEndian.MAX_U32);
        Bounds.requireRange("frameNumber", frameNumber, BigEndian.MAX_U32);
        Bounds.requireRange("flags", flags, BigEndian.MAX_U8);
        Bounds.requireRange("captureUs", captureUs, Long.MAX_VALUE);
        FragmentFrame.requireLayout(frameLength, fragmentSize);
        int count = FragmentFrame.fragmentCount(frameLength, fragmentSize);
        if (stride < 1 || stride > count || group < 0 || group >= stride) {
            throw new IllegalArgumentException("stride " + stride + " and group " + group + " do not fit a frame of "
                    + count + " fragments: need 1 <= stride <= " + count + " and 0 <= group < stride");
        }
        Bounds.requireRoom(buf, offset, HEADER_LENGTH + fragmentSize, "PARITY frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.PARITY);
        BigEndian.putU32(buf, offset + STREAM_ID_OFFSET, streamId);
        BigEndian.putU32(buf, offset + FRAME_NUMBER_OFFSET, frameNumber);
        BigEndian.putU8(buf, offset + FLAGS_OFFSET, flags);
        BigEndian.putI64(buf, offset + CAPTURE_US_OFFSET, captureUs);
        BigEndian.putU32(buf, offset + FRAME_LENGTH_OFFSET, frameLength);
        BigEndian.putU16(buf, offset + FRAGMENT_SIZE_OFFSET, fragmentSize);
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
        if (!Bounds.fits(buf, offset, limit, HEADER_LENGTH) || BigEndian.getU8(buf, offset) != FrameType.PARITY
                || BigEndian.getI64(buf, offset + CAPTURE_US_OFFSET) < 0) {
            return -1;
        }
        long frameLength = BigEndian.getU32(buf, offset + FRAME_LENGTH_OFFSET);
        int fragmentSize = BigEndian.getU16(buf, offset + FRAGMENT_SIZE_OFFSET);
        if (!FragmentFrame.validLayout(frameLength, fragmentSize)) {
            return -1;
        }
        int stride = BigEndian.getU16(buf, offset + STRIDE_OFFSET);
        int group = BigEndian.getU16(buf, offset + GROUP_OFFSET);
        int dataLength = BigEndian.getU16(buf, offset + DATA_LENGTH_OFFSET);
        if (stride < 1 || stride > FragmentFrame.fragmentCount(frameLength, fragmentSize) || group >= stride
                || dataLength != fragmentSize || !Bounds.fits(buf, offset, limit, HEADER_LENGTH + dataLength)) {
            return -1;
        }
        return HEADER_LENGTH + dataLength;
    }
}
