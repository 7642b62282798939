package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * RESULT (type 0x13): a transfer receiver's verdict, sent back to the sender. Code {@link ErrorCode#OK} means the
 * content was received whole and its SHA-256 matched. Ack-eliciting.
 *
 * <pre>
 *  0      1              5          7                        39         40
 *  +------+--------------+----------+------------------------+----------+--------------------+
 *  | 0x13 | transferId   | code u16 | sha256 (32 bytes) the  | reason   | reason (R bytes)   |
 *  |      | u32          |          | receiver computed      | Length u8| UTF-8, no controls |
 *  +------+--------------+----------+------------------------+----------+--------------------+
 * </pre>
 *
 * <p>The SHA-256 is all zeros when the receiver computed none. Total length {@code 40 + R}.
 */
public final class ResultFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 transfer id. */
    public static final int TRANSFER_ID_OFFSET = 1;
    /** Offset of the u16 {@link ErrorCode}. */
    public static final int CODE_OFFSET = 5;
    /** Offset of the 32-byte SHA-256 the receiver computed. */
    public static final int SHA256_OFFSET = 7;
    /** Length of a SHA-256. */
    public static final int SHA256_LENGTH = 32;
    /** Offset of the u8 reason length. */
    public static final int REASON_LENGTH_OFFSET = 39;
    /** Offset of the reason bytes. */
    public static final int REASON_OFFSET = 40;
    /** Longest reason in bytes. */
    public static final int MAX_REASON_BYTES = 255;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public ResultFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** Writes the type byte; returns this. */
    public ResultFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.RESULT);
        return this;
    }

    /** The transfer id, 0..2^32-1. */
    public long transferId() {
        return BigEndian.getU32(buffer, offset + TRANSFER_ID_OFFSET);
    }

    /** Sets the transfer id (0..2^32-1); returns this. */
    public ResultFrame transferId(long transferId) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + TRANSFER_ID_OFFSET, transferId);
        return this;
    }

    /** The {@link ErrorCode}, 0..65535. */
    public int code() {
        return BigEndian.getU16(buffer, offset + CODE_OFFSET);
    }

    /** Sets the code (0..65535); returns this. */
    public ResultFrame code(int code) {
        Bounds.requireRange("code", code, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + CODE_OFFSET, code);
        return this;
    }

    /** Copies the 32-byte SHA-256 into {@code dst[0..32)}. */
    public void copySha256(byte[] dst) {
        buffer.get(offset + SHA256_OFFSET, dst, 0, SHA256_LENGTH);
    }

    /** Writes the SHA-256 from {@code src[0..32)}, or zeros when {@code src} is null; returns this. */
    public ResultFrame sha256(byte[] src) {
        writeSha256(buffer, offset, src);
        return this;
    }

    /** Absolute buffer index of the SHA-256. */
    public int sha256Offset() {
        return offset + SHA256_OFFSET;
    }

    /** Reason length in bytes. */
    public int reasonLength() {
        return BigEndian.getU8(buffer, offset + REASON_LENGTH_OFFSET);
    }

    /** The reason (allocates). */
    public String reason() {
        return Utf8.decode(buffer, offset + REASON_OFFSET, reasonLength());
    }

    /** This frame's length: {@code 40 + reasonLength}. */
    public int length() {
        return REASON_OFFSET + reasonLength();
    }

    /**
     * Writes a whole RESULT at {@code offset}; returns the end offset. {@code sha256} may be null (zeros). The
     * reason is made to fit, never rejected: null is "", control characters become spaces and it is cut to 255
     * bytes at a character boundary. Throws IllegalArgumentException only for out-of-range numbers, a sha256
     * that is not 32 bytes, or no room below the buffer's limit.
     */
    public static int encode(ByteBuffer buf, int offset, long transferId, int code, byte[] sha256, String reason) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        Bounds.requireRange("code", code, BigEndian.MAX_U16);
        if (sha256 != null && sha256.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("sha256 must be " + SHA256_LENGTH + " bytes or null, got "
                    + sha256.length);
        }
        byte[] reasonBytes = Utf8.encodeReason(reason);
        Bounds.requireRoom(buf, offset, REASON_OFFSET + reasonBytes.length, "RESULT frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.RESULT);
        BigEndian.putU32(buf, offset + TRANSFER_ID_OFFSET, transferId);
        BigEndian.putU16(buf, offset + CODE_OFFSET, code);
        writeSha256(buf, offset, sha256);
        BigEndian.putU8(buf, offset + REASON_LENGTH_OFFSET, reasonBytes.length);
        buf.put(offset + REASON_OFFSET, reasonBytes);
        return offset + REASON_OFFSET + reasonBytes.length;
    }

    /** Length {@link #encode} would write for {@code reason} (after sanitizing and truncation). */
    public static int encodedLength(String reason) {
        return REASON_OFFSET + Utf8.encodeReason(reason).length;
    }

    /**
     * Validates a RESULT at {@code offset} ending at or before {@code limit}: type byte, reason inside and strict
     * UTF-8 without control characters. Codes are not judged (unknown codes are legal). Returns the frame length
     * or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, REASON_OFFSET) || BigEndian.getU8(buf, offset) != FrameType.RESULT) {
            return -1;
        }
        int reasonLength = BigEndian.getU8(buf, offset + REASON_LENGTH_OFFSET);
        return Bounds.fits(buf, offset, limit, REASON_OFFSET + reasonLength)
                && Utf8.isCleanText(buf, offset + REASON_OFFSET, reasonLength)
                ? REASON_OFFSET + reasonLength : -1;
    }

    private static void writeSha256(ByteBuffer buf, int offset, byte[] sha256) {
        if (sha256 == null) {
            PaddingFrame.fill(buf, offset + SHA256_OFFSET, offset + SHA256_OFFSET + SHA256_LENGTH);
        } else {
            if (sha256.length != SHA256_LENGTH) {
                throw new IllegalArgumentException("sha256 must be " + SHA256_LENGTH + " bytes or null, got "
                        + sha256.length);
            }
            buf.put(offset + SHA256_OFFSET, sha256, 0, SHA256_LENGTH);
        }
    }
}
