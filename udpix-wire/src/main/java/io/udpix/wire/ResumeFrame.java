package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * RESUME (type 0x16): a transfer receiver's answer to an OPEN with {@link OpenExtensions#RESUMABLE}: it already
 * holds the content's first {@code offset} bytes, so the sender starts there (docs/PROTOCOL.md section 4.8b).
 * Ack-eliciting; retransmitted until acknowledged.
 *
 * <pre>
 *  0      1              5                      13
 *  +------+--------------+----------------------+
 *  | 0x16 | transferId   | offset u64           |
 *  |      | u32          | 0..2^63-1            |
 *  +------+--------------+----------------------+
 * </pre>
 */
public final class ResumeFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 transfer id. */
    public static final int TRANSFER_ID_OFFSET = 1;
    /** Offset of the u64 content offset the sender starts at (bytes below it are held by the receiver). */
    public static final int OFFSET_OFFSET = 5;
    /** Frame length. */
    public static final int LENGTH = 13;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public ResumeFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** Writes the type byte; returns this. */
    public ResumeFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.RESUME);
        return this;
    }

    /** The transfer id, 0..2^32-1. */
    public long transferId() {
        return BigEndian.getU32(buffer, offset + TRANSFER_ID_OFFSET);
    }

    /** Sets the transfer id (0..2^32-1); returns this. */
    public ResumeFrame transferId(long transferId) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + TRANSFER_ID_OFFSET, transferId);
        return this;
    }

    /** Bytes of the content the receiver holds; the sender starts there (0..2^63-1 in a well-formed frame). */
    public long resumeOffset() {
        return BigEndian.getI64(buffer, offset + OFFSET_OFFSET);
    }

    /** Sets the resume offset (0..2^63-1); returns this. */
    public ResumeFrame resumeOffset(long resumeOffset) {
        Bounds.requireRange("resumeOffset", resumeOffset, Long.MAX_VALUE);
        BigEndian.putI64(buffer, offset + OFFSET_OFFSET, resumeOffset);
        return this;
    }

    /** Writes a whole RESUME at {@code offset}; returns the end offset. */
    public static int encode(ByteBuffer buf, int offset, long transferId, long resumeOffset) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        Bounds.requireRange("resumeOffset", resumeOffset, Long.MAX_VALUE);
        Bounds.requireRoom(buf, offset, LENGTH, "RESUME frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.RESUME);
        BigEndian.putU32(buf, offset + TRANSFER_ID_OFFSET, transferId);
        BigEndian.putI64(buf, offset + OFFSET_OFFSET, resumeOffset);
        return offset + LENGTH;
    }

    /**
     * Validates a RESUME at {@code offset} ending at or before {@code limit}: type byte, offset 0..2^63-1.
     * Returns {@link #LENGTH} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return Bounds.fits(buf, offset, limit, LENGTH)
                && BigEndian.getU8(buf, offset) == FrameType.RESUME
                && BigEndian.getI64(buf, offset + OFFSET_OFFSET) >= 0
                ? LENGTH : -1;
    }
}
