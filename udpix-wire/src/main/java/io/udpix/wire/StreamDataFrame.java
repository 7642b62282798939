package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * The 24-byte prefix that FRAGMENT (0x21) and PARITY (0x22) share: which frame of which stream, its capture time
 * and its layout (docs/PROTOCOL.md sections 4.13 and 4.14). Each subclass adds its own fields after offset 24.
 *
 * <pre>
 *  0      1            5              9       10                     18             22         24
 *  +------+------------+--------------+-------+----------------------+--------------+----------+-- ...
 *  | type | streamId   | frameNumber  | flags | capture us u64       | frameLength  | fragment | (FRAGMENT
 *  | u8   | u32        | u32          | u8    | (sender clock)       | u32 = L      | size u16 |  or PARITY
 *  |      |            |              |       | 0..2^63-1            | 1..2^31-1    | = F >= 1 |  fields)
 *  +------+------------+--------------+-------+----------------------+--------------+----------+-- ...
 * </pre>
 *
 * <p>An L-byte frame in F-byte fragments has {@code ceil(L/F) <= 65536} fragments; fragment {@code i} covers frame
 * bytes {@code [i*F, min((i+1)*F, L))}.
 */
public abstract sealed class StreamDataFrame permits FragmentFrame, ParityFrame {
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
    /** Length of the shared prefix. */
    public static final int PREFIX_LENGTH = 24;
    /** Largest frame length (2^31-1: a frame fits a Java array). */
    public static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE;
    /** Most fragments one frame may have (the u16 index's range). */
    public static final int MAX_FRAGMENTS = 65_536;

    /** The buffer this flyweight reads; set by the subclass's {@code wrap}. */
    protected ByteBuffer buffer;
    /** Index of the frame's type byte in {@link #buffer}. */
    protected int offset;

    StreamDataFrame() {
    }

    /** The stream id, 0..2^32-1. */
    public long streamId() {
        return BigEndian.getU32(buffer, offset + STREAM_ID_OFFSET);
    }

    /** The frame number, 0..2^32-1. */
    public long frameNumber() {
        return BigEndian.getU32(buffer, offset + FRAME_NUMBER_OFFSET);
    }

    /** The flags byte (receivers ignore bits they do not know). */
    public int flags() {
        return BigEndian.getU8(buffer, offset + FLAGS_OFFSET);
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

    /** Validates the prefix's values for a writer; throws IllegalArgumentException naming the value. */
    static void requirePrefix(long streamId, long frameNumber, int flags, long captureUs, int frameLength,
            int fragmentSize) {
        Bounds.requireRange("streamId", streamId, BigEndian.MAX_U32);
        Bounds.requireRange("frameNumber", frameNumber, BigEndian.MAX_U32);
        Bounds.requireRange("flags", flags, BigEndian.MAX_U8);
        Bounds.requireRange("captureUs", captureUs, Long.MAX_VALUE);
        requireLayout(frameLength, fragmentSize);
    }

    /** Writes the prefix (values already checked by {@link #requirePrefix}, room by the caller). */
    static void putPrefix(ByteBuffer buf, int offset, int type, long streamId, long frameNumber, int flags,
            long captureUs, int frameLength, int fragmentSize) {
        BigEndian.putU8(buf, offset + TYPE_OFFSET, type);
        BigEndian.putU32(buf, offset + STREAM_ID_OFFSET, streamId);
        BigEndian.putU32(buf, offset + FRAME_NUMBER_OFFSET, frameNumber);
        BigEndian.putU8(buf, offset + FLAGS_OFFSET, flags);
        BigEndian.putI64(buf, offset + CAPTURE_US_OFFSET, captureUs);
        BigEndian.putU32(buf, offset + FRAME_LENGTH_OFFSET, frameLength);
        BigEndian.putU16(buf, offset + FRAGMENT_SIZE_OFFSET, fragmentSize);
    }

    /**
     * Whether a frame of {@code type} with a {@code headerLength}-byte header fits before {@code limit} and its prefix
     * is well formed: capture time 0..2^63-1 and a valid layout. Never throws.
     */
    static boolean checkPrefix(ByteBuffer buf, int offset, int limit, int type, int headerLength) {
        return Bounds.fits(buf, offset, limit, headerLength) && BigEndian.getU8(buf, offset) == type
                && BigEndian.getI64(buf, offset + CAPTURE_US_OFFSET) >= 0
                && validLayout(BigEndian.getU32(buf, offset + FRAME_LENGTH_OFFSET),
                        BigEndian.getU16(buf, offset + FRAGMENT_SIZE_OFFSET));
    }
}
