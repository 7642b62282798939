package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * CANCEL (type 0x14): a transfer's sender abandons it; the receiver discards what it has. Ack-eliciting.
 *
 * <pre>
 *  0      1              5          7          8
 *  +------+--------------+----------+----------+--------------------+
 *  | 0x14 | transferId   | code u16 | reason   | reason (R bytes)   |
 *  |      | u32          |          | Length u8| UTF-8, no controls |
 *  +------+--------------+----------+----------+--------------------+
 * </pre>
 *
 * <p>Total length {@code 8 + R}.
 */
public final class CancelFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 transfer id. */
    public static final int TRANSFER_ID_OFFSET = 1;
    /** Offset of the u16 {@link ErrorCode}. */
    public static final int CODE_OFFSET = 5;
    /** Offset of the u8 reason length. */
    public static final int REASON_LENGTH_OFFSET = 7;
    /** Offset of the reason bytes. */
    public static final int REASON_OFFSET = 8;
    /** Longest reason in bytes. */
    public static final int MAX_REASON_BYTES = 255;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public CancelFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** Writes the type byte; returns this. */
    public CancelFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.CANCEL);
        return this;
    }

    /** The transfer id, 0..2^32-1. */
    public long transferId() {
        return BigEndian.getU32(buffer, offset + TRANSFER_ID_OFFSET);
    }

    /** Sets the transfer id (0..2^32-1); returns this. */
    public CancelFrame transferId(long transferId) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + TRANSFER_ID_OFFSET, transferId);
        return this;
    }

    /** The {@link ErrorCode}, 0..65535. */
    public int code() {
        return BigEndian.getU16(buffer, offset + CODE_OFFSET);
    }

    /** Sets the code (0..65535); returns this. */
    public CancelFrame code(int code) {
        Bounds.requireRange("code", code, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + CODE_OFFSET, code);
        return this;
    }

    /** Reason length in bytes. */
    public int reasonLength() {
        return BigEndian.getU8(buffer, offset + REASON_LENGTH_OFFSET);
    }

    /** The reason (allocates). */
    public String reason() {
        return Utf8.decode(buffer, offset + REASON_OFFSET, reasonLength());
    }

    /** This frame's length: {@code 8 + reasonLength}. */
    public int length() {
        return REASON_OFFSET + reasonLength();
    }

    /**
     * Writes a whole CANCEL at {@code offset}; returns the end offset. The reason is made to fit, never rejected
     * (see {@link ResultFrame#encode}). Throws IllegalArgumentException only for out-of-range numbers or no room
     * below the buffer's limit.
     */
    public static int encode(ByteBuffer buf, int offset, long transferId, int code, String reason) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        Bounds.requireRange("code", code, BigEndian.MAX_U16);
        byte[] reasonBytes = Utf8.encodeReason(reason);
        Bounds.requireRoom(buf, offset, REASON_OFFSET + reasonBytes.length, "CANCEL frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.CANCEL);
        BigEndian.putU32(buf, offset + TRANSFER_ID_OFFSET, transferId);
        BigEndian.putU16(buf, offset + CODE_OFFSET, code);
        BigEndian.putU8(buf, offset + REASON_LENGTH_OFFSET, reasonBytes.length);
        buf.put(offset + REASON_OFFSET, reasonBytes);
        return offset + REASON_OFFSET + reasonBytes.length;
    }

    /** Length {@link #encode} would write for {@code reason} (after sanitizing and truncation). */
    public static int encodedLength(String reason) {
        return REASON_OFFSET + Utf8.encodeReason(reason).length;
    }

    /**
     * Validates a CANCEL at {@code offset} ending at or before {@code limit}: type byte, reason inside and strict
     * UTF-8 without control characters. Returns the frame length or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, REASON_OFFSET) || BigEndian.getU8(buf, offset) != FrameType.CANCEL) {
            return -1;
        }
        int reasonLength = BigEndian.getU8(buf, offset + REASON_LENGTH_OFFSET);
        return Bounds.fits(buf, offset, limit, REASON_OFFSET + reasonLength)
                && Utf8.isCleanText(buf, offset + REASON_OFFSET, reasonLength)
                ? REASON_OFFSET + reasonLength : -1;
    }
}
