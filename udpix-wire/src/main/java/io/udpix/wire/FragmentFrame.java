package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * FRAGMENT (type 0x21): one piece of one frame of a frame stream. Ack-eliciting, partially reliable: the sender
 * repeats a lost fragment only while it can still arrive before the frame's deadline. docs/PROTOCOL.md section 4.13.
 *
 * <pre>
 *  0      1            5              9       10                     18             22         24         26
 *  +------+------------+--------------+-------+----------------------+--------------+----------+----------+
 *  | 0x21 | streamId   | frameNumber  | flags | capture us u64       | frameLength  | fragment | fragment |
 *  |      | u32        | u32          | u8    | (sender clock)       | u32 = L      | size u16 | index u16|
 *  |      |            |              |       | 0..2^63-1            | 1..2^31-1    | = F >= 1 | = i      |
 *  +------+------------+--------------+-------+----------------------+--------------+----------+----------+
 *  26           28
 *  +------------+--------------------------+
 *  | dataLength | data (D bytes: frame     |
 *  | u16 = D    | bytes [i*F, i*F + D))    |
 *  +------------+--------------------------+
 * </pre>
 *
 * <p>Fragment {@code i} covers frame bytes {@code [i*F, min((i+1)*F, L))}; the frame has {@code ceil(L/F) <= 65536}
 * fragments, so {@code i < ceil(L/F)} and {@code D} equals that range's length (checked). Flags: bit 0
 * {@link #FLAG_RETRANSMISSION}; receivers ignore unknown bits. Total length {@code 28 + D}.
 */
public final class FragmentFrame {

    /** Flag bit: this fragment was sent before (a repair). */
    public static final int FLAG_RETRANSMISSION = 0x01;
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
    /** Offset of the u16 fragment index. */
    public static final int FRAGMENT_INDEX_OFFSET = 24;
    /** Offset of the u16 data length. */
    public static final int DATA_LENGTH_OFFSET = 26;
    /** Frame length before the data; also the data's offset relative to the frame. */
    public static final int HEADER_LENGTH = 28;
    /** Largest frame length (2^31-1: a frame fits a Java array). */
    public static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE;
    /** Most fragments one frame may have (the u16 index's range). */
    public static final int MAX_FRAGMENTS = 65_536;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public FragmentFrame wrap(ByteBuffer buf, int offset) {
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

    /** The flags byte ({@link #FLAG_RETRANSMISSION}; ignore unknown bits). */
    public int flags() {
        return BigEndian.getU8(buffer, offset + FLAGS_OFFSET);
    }

    /** True when the retransmission flag is set. */
    public boolean retransmission() {
        return (flags() & FLAG_RETRANSMISSION) != 0;
    }

    /** The frame's capture time on the sender's clock, in microseconds (0..2^63-1 in a well-formed frame). */
    public long captureUs() {
        return BigEndian.getI64(buffer, offset + CAPTURE_US_OFFSET);
    }

    /** The whole frame's length in bytes (1..2^31-1 in a well-formed frame). */
    public long frameLength() {
        return BigEndian.getU32(buffer, offset + FRAME_LENGTH_OFFSET);
    }

    /** The fragment size F of this frame (every fragment but the last is this long). */
    public int fragmentSize() {
        return BigEndian.getU16(buffer, offset + FRAGMENT_SIZE_OFFSET);
    }

    /** The fragment index i. */
    public int fragmentIndex() {
        return BigEndian.getU16(buffer, offset + FRAGMENT_INDEX_OFFSET);
    }

    /** Number of data bytes. */
    public int dataLength() {
        return BigEndian.getU16(buffer, offset + DATA_LENGTH_OFFSET);
    }

    /** Absolute buffer index of the first data byte. */
    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** This frame's length: {@code 28 + dataLength}. */
    public int length() {
        return HEADER_LENGTH + dataLength();
    }

    /**
     * Writes the type byte and the fields of a FRAGMENT at {@code offset}; returns the absolute index where the
     * caller copies the data bytes, of which there are {@link #fragmentDataLength}{@code (L, F, i)}. Allocates
     * nothing. Throws IllegalArgumentException when a value breaks a rule of {@link #check} or the frame does not
     * fit below the buffer's limit.
     */
    public static int writeHeader(ByteBuffer buf, int offset, long streamId, long frameNumber, int flags,
                                  long captureUs, int frameLength, int fragmentSize, int fragmentIndex) {
        Bounds.requireRange("streamId", streamId, BigEndian.MAX_U32);
        Bounds.requireRange("frameNumber", frameNumber, BigEndian.MAX_U32);
        Bounds.requireRange("flags", flags, BigEndian.MAX_U8);
        Bounds.requireRange("captureUs", captureUs, Long.MAX_VALUE);
        requireLayout(frameLength, fragmentSize);
        int count = fragmentCount(frameLength, fragmentSize);
        if (fragmentIndex < 0 || fragmentIndex >= count) {
            throw new IllegalArgumentException("fragmentIndex " + fragmentIndex + " is outside 0.." + (count - 1)
                    + " for a " + frameLength + "-byte frame in " + fragmentSize + "-byte fragments");
        }
        int dataLength = fragmentDataLength(frameLength, fragmentSize, fragmentIndex);
        Bounds.requireRoom(buf, offset, HEADER_LENGTH + dataLength, "FRAGMENT frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.FRAGMENT);
        BigEndian.putU32(buf, offset + STREAM_ID_OFFSET, streamId);
        BigEndian.putU32(buf, offset + FRAME_NUMBER_OFFSET, frameNumber);
        BigEndian.putU8(buf, offset + FLAGS_OFFSET, flags);
        BigEndian.putI64(buf, offset + CAPTURE_US_OFFSET, captureUs);
        BigEndian.putU32(buf, offset + FRAME_LENGTH_OFFSET, frameLength);
        BigEndian.putU16(buf, offset + FRAGMENT_SIZE_OFFSET, fragmentSize);
        BigEndian.putU16(buf, offset + FRAGMENT_INDEX_OFFSET, fragmentIndex);
        BigEndian.putU16(buf, offset + DATA_LENGTH_OFFSET, dataLength);
        return offset + HEADER_LENGTH;
    }

    /** {@code ceil(L / F)} for {@code L >= 0}, {@code F >= 1}, computed without overflow. */
    public static int fragmentCount(long frameLength, int fragmentSize) {
        return (int) Math.min(Integer.MAX_VALUE, (frameLength + fragmentSize - 1) / fragmentSize);
    }

    /** Length of fragment {@code i} of an L-byte frame in F-byte fragments: {@code min(F, L - i*F)}. */
    public static int fragmentDataLength(long frameLength, int fragmentSize, int fragmentIndex) {
        return (int) Math.min(fragmentSize, frameLength - (long) fragmentIndex * fragmentSize);
    }

    /** True for a frame length 1..2^31-1 and fragment size 1..65535 giving at most 65,536 fragments. */
    static boolean validLayout(long frameLength, int fragmentSize) {
        return frameLength >= 1 && frameLength <= MAX_FRAME_LENGTH && fragmentSize >= 1
                && fragmentSize <= BigEndian.MAX_U16 && fragmentCount(frameLength, fragmentSize) <= MAX_FRAGMENTS;
    }

    static void requireLayout(long frameLength, int fragmentSize) {
        if (!validLayout(frameLength, fragmentSize)) {
            throw new IllegalArgumentException("a frame of " + frameLength + " bytes in " + fragmentSize
                    + "-byte fragments is not allowed: the length must be 1..2^31-1 and the fragment size 1..65535"
                    + " with at most " + MAX_FRAGMENTS + " fragments; use larger fragments or a smaller frame");
        }
    }

    /**
     * Validates a FRAGMENT at {@code offset} ending at or before {@code limit}: type byte, capture time
     * 0..2^63-1, frame length 1..2^31-1, fragment size at least 1 with at most 65,536 fragments, index below the
     * fragment count, data length equal to the fragment's length, data inside. Flags are not judged. Returns
     * {@code 28 + D} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, HEADER_LENGTH) || BigEndian.getU8(buf, offset) != FrameType.FRAGMENT
                || BigEndian.getI64(buf, offset + CAPTURE_US_OFFSET) < 0) {
            return -1;
        }
        long frameLength = BigEndian.getU32(buf, offset + FRAME_LENGTH_OFFSET);
        int fragmentSize = BigEndian.getU16(buf, offset + FRAGMENT_SIZE_OFFSET);
        if (!validLayout(frameLength, fragmentSize)) {
            return -1;
        }
        int index = BigEndian.getU16(buf, offset + FRAGMENT_INDEX_OFFSET);
        int dataLength = BigEndian.getU16(buf, offset + DATA_LENGTH_OFFSET);
        if (index >= fragmentCount(frameLength, fragmentSize)
                || dataLength != fragmentDataLength(frameLength, fragmentSize, index)
                || !Bounds.fits(buf, offset, limit, HEADER_LENGTH + dataLength)) {
            return -1;
        }
        return HEADER_LENGTH + dataLength;
    }
}
