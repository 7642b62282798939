package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * WINDOW (type 0x12): flow-control credit from a transfer's receiver; the sender may send content bytes whose
 * offset is below {@code maxOffset}. Ack-eliciting.
 *
 * <pre>
 *  0      1              5                      13
 *  +------+--------------+----------------------+
 *  | 0x12 | transferId   | maxOffset u64        |
 *  |      | u32          | 0..2^63-1            |
 *  +------+--------------+----------------------+
 * </pre>
 */
public final class WindowFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 transfer id. */
    public static final int TRANSFER_ID_OFFSET = 1;
    /** Offset of the u64 maximum offset (exclusive) the sender may send. */
    public static final int MAX_OFFSET_OFFSET = 5;
    /** Frame length. */
    public static final int LENGTH = 13;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public WindowFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** Writes the type byte; returns this. */
    public WindowFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.WINDOW);
        return this;
    }

    /** The transfer id, 0..2^32-1. */
    public long transferId() {
        return BigEndian.getU32(buffer, offset + TRANSFER_ID_OFFSET);
    }

    /** Sets the transfer id (0..2^32-1); returns this. */
    public WindowFrame transferId(long transferId) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + TRANSFER_ID_OFFSET, transferId);
        return this;
    }

    /** The credit limit: bytes with content offset below it may be sent (0..2^63-1 in a well-formed frame). */
    public long maxOffset() {
        return BigEndian.getI64(buffer, offset + MAX_OFFSET_OFFSET);
    }

    /** Sets the credit limit (0..2^63-1); returns this. */
    public WindowFrame maxOffset(long maxOffset) {
        Bounds.requireRange("maxOffset", maxOffset, Long.MAX_VALUE);
        BigEndian.putI64(buffer, offset + MAX_OFFSET_OFFSET, maxOffset);
        return this;
    }

    /** Writes a whole WINDOW at {@code offset}; returns the end offset. */
    public static int encode(ByteBuffer buf, int offset, long transferId, long maxOffset) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        Bounds.requireRange("maxOffset", maxOffset, Long.MAX_VALUE);
        Bounds.requireRoom(buf, offset, LENGTH, "WINDOW frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.WINDOW);
        BigEndian.putU32(buf, offset + TRANSFER_ID_OFFSET, transferId);
        BigEndian.putI64(buf, offset + MAX_OFFSET_OFFSET, maxOffset);
        return offset + LENGTH;
    }

    /**
     * Validates a WINDOW at {@code offset} ending at or before {@code limit}: type byte, max offset 0..2^63-1.
     * Returns {@link #LENGTH} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return Bounds.fits(buf, offset, limit, LENGTH)
                && BigEndian.getU8(buf, offset) == FrameType.WINDOW
                && BigEndian.getI64(buf, offset + MAX_OFFSET_OFFSET) >= 0
                ? LENGTH : -1;
    }
}
