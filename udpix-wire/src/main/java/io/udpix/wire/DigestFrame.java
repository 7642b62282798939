package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * DIGEST (type 0x15): the SHA-256 of a transfer whose OPEN set {@link OpenFrame#FLAG_DIGEST_FOLLOWS}, sent once
 * the sender has sent every byte at least once (it hashes while reading, so a large file starts moving at once
 * instead of after a full read to hash it). Ack-eliciting; resent until acknowledged.
 *
 * <pre>
 *  0      1              5                                  37
 *  +------+--------------+----------------------------------+
 *  | 0x15 | transferId   | sha256 (32 bytes)                |
 *  |      | u32          | of the whole content             |
 *  +------+--------------+----------------------------------+
 * </pre>
 */
public final class DigestFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 transfer id. */
    public static final int TRANSFER_ID_OFFSET = 1;
    /** Offset of the 32-byte SHA-256. */
    public static final int SHA256_OFFSET = 5;
    /** Frame length. */
    public static final int LENGTH = SHA256_OFFSET + OpenFrame.SHA256_LENGTH;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public DigestFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The transfer id, 0..2^32-1. */
    public long transferId() {
        return BigEndian.getU32(buffer, offset + TRANSFER_ID_OFFSET);
    }

    /** Copies the 32-byte SHA-256 into {@code dst[0..32)}. */
    public void copySha256(byte[] dst) {
        buffer.get(offset + SHA256_OFFSET, dst, 0, OpenFrame.SHA256_LENGTH);
    }

    /** Writes a whole DIGEST at {@code offset}; returns the end offset. */
    public static int encode(ByteBuffer buf, int offset, long transferId, byte[] sha256) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        if (sha256 == null || sha256.length != OpenFrame.SHA256_LENGTH) {
            throw new IllegalArgumentException("sha256 must be 32 bytes");
        }
        Bounds.requireRoom(buf, offset, LENGTH, "DIGEST frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.DIGEST);
        BigEndian.putU32(buf, offset + TRANSFER_ID_OFFSET, transferId);
        buf.put(offset + SHA256_OFFSET, sha256, 0, OpenFrame.SHA256_LENGTH);
        return offset + LENGTH;
    }

    /**
     * Validates a DIGEST at {@code offset} ending at or before {@code limit}: type byte and length. Returns
     * {@link #LENGTH} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return Bounds.fits(buf, offset, limit, LENGTH) && BigEndian.getU8(buf, offset) == FrameType.DIGEST
                ? LENGTH : -1;
    }
}
