package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * ABANDON (type 0x23): the stream's sender sends nothing more for any frame numbered up to and including
 * {@code frameNumber} (cumulative, like PR-SCTP's FORWARD-TSN, RFC 3758 section 3.2). Ack-eliciting; resent after
 * a loss only while no newer ABANDON of the stream was acknowledged. docs/PROTOCOL.md section 4.15.
 *
 * <pre>
 *  0      1              5              9
 *  +------+--------------+--------------+
 *  | 0x23 | streamId u32 | frameNumber  |
 *  |      |              | u32          |
 *  +------+--------------+--------------+
 * </pre>
 *
 * <p>Length 9.
 */
public final class AbandonFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 stream id. */
    public static final int STREAM_ID_OFFSET = 1;
    /** Offset of the u32 frame number. */
    public static final int FRAME_NUMBER_OFFSET = 5;
    /** Length of an ABANDON. */
    public static final int LENGTH = 9;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public AbandonFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The stream id, 0..2^32-1. */
    public long streamId() {
        return BigEndian.getU32(buffer, offset + STREAM_ID_OFFSET);
    }

    /** The highest abandoned frame number, 0..2^32-1. */
    public long frameNumber() {
        return BigEndian.getU32(buffer, offset + FRAME_NUMBER_OFFSET);
    }

    /**
     * Writes a whole ABANDON at {@code offset}; returns the end offset. Throws IllegalArgumentException for
     * out-of-range numbers or no room below the buffer's limit.
     */
    public static int encode(ByteBuffer buf, int offset, long streamId, long frameNumber) {
        Bounds.requireRange("streamId", streamId, BigEndian.MAX_U32);
        Bounds.requireRange("frameNumber", frameNumber, BigEndian.MAX_U32);
        Bounds.requireRoom(buf, offset, LENGTH, "ABANDON frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.ABANDON);
        BigEndian.putU32(buf, offset + STREAM_ID_OFFSET, streamId);
        BigEndian.putU32(buf, offset + FRAME_NUMBER_OFFSET, frameNumber);
        return offset + LENGTH;
    }

    /** Validates an ABANDON at {@code offset} ending at or before {@code limit}: returns 9 or -1. Never throws. */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return Bounds.fits(buf, offset, limit, LENGTH) && BigEndian.getU8(buf, offset) == FrameType.ABANDON
                ? LENGTH : -1;
    }
}
