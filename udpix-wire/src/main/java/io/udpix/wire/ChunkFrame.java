package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * CHUNK (type 0x11): content bytes of a transfer at an offset. Ack-eliciting.
 *
 * <pre>
 *  0      1              5                      13             15
 *  +------+--------------+----------------------+--------------+----------------------+
 *  | 0x11 | transferId   | offset u64           | dataLength   | data (dataLength     |
 *  |      | u32          | 0..2^63-1            | u16          | bytes)               |
 *  +------+--------------+----------------------+--------------+----------------------+
 * </pre>
 *
 * <p>{@code offset + dataLength} never exceeds 2^63-1. Total length {@code 15 + dataLength}.
 */
public final class ChunkFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 transfer id. */
    public static final int TRANSFER_ID_OFFSET = 1;
    /** Offset of the u64 content offset of the first data byte. */
    public static final int OFFSET_FIELD_OFFSET = 5;
    /** Offset of the u16 data length. */
    public static final int DATA_LENGTH_OFFSET = 13;
    /** Frame length before the data; also the data's offset relative to the frame. */
    public static final int HEADER_LENGTH = 15;
    /** Most data bytes in one CHUNK (the u16 maximum; the datagram size limits it further). */
    public static final int MAX_DATA_LENGTH = BigEndian.MAX_U16;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public ChunkFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** Writes the type byte; returns this. */
    public ChunkFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.CHUNK);
        return this;
    }

    /** The transfer id, 0..2^32-1. */
    public long transferId() {
        return BigEndian.getU32(buffer, offset + TRANSFER_ID_OFFSET);
    }

    /** Sets the transfer id (0..2^32-1); returns this. */
    public ChunkFrame transferId(long transferId) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + TRANSFER_ID_OFFSET, transferId);
        return this;
    }

    /** Content offset of the first data byte (0..2^63-1 in a well-formed frame). */
    public long offset() {
        return BigEndian.getI64(buffer, offset + OFFSET_FIELD_OFFSET);
    }

    /** Sets the content offset (0..2^63-1); returns this. */
    public ChunkFrame offset(long contentOffset) {
        Bounds.requireRange("offset", contentOffset, Long.MAX_VALUE);
        BigEndian.putI64(buffer, offset + OFFSET_FIELD_OFFSET, contentOffset);
        return this;
    }

    /** Number of data bytes, 0..65535. */
    public int dataLength() {
        return BigEndian.getU16(buffer, offset + DATA_LENGTH_OFFSET);
    }

    /** Sets the number of data bytes (0..65535); returns this. */
    public ChunkFrame dataLength(int dataLength) {
        Bounds.requireRange("dataLength", dataLength, MAX_DATA_LENGTH);
        BigEndian.putU16(buffer, offset + DATA_LENGTH_OFFSET, dataLength);
        return this;
    }

    /** Absolute buffer index of the first data byte. */
    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** This frame's length: {@code 15 + dataLength}. */
    public int length() {
        return HEADER_LENGTH + dataLength();
    }

    /**
     * Writes the type byte and the fields of a CHUNK at {@code offset}; returns the absolute index where the
     * caller copies the {@code dataLength} data bytes. Throws IllegalArgumentException when a value does not fit
     * (including {@code contentOffset + dataLength > 2^63-1}) or the frame does not fit below the buffer's limit.
     */
    public static int writeHeader(ByteBuffer buf, int offset, long transferId, long contentOffset, int dataLength) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        Bounds.requireRange("dataLength", dataLength, MAX_DATA_LENGTH);
        Bounds.requireRange("offset", contentOffset, Long.MAX_VALUE - dataLength);
        Bounds.requireRoom(buf, offset, HEADER_LENGTH + dataLength, "CHUNK frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.CHUNK);
        BigEndian.putU32(buf, offset + TRANSFER_ID_OFFSET, transferId);
        BigEndian.putI64(buf, offset + OFFSET_FIELD_OFFSET, contentOffset);
        BigEndian.putU16(buf, offset + DATA_LENGTH_OFFSET, dataLength);
        return offset + HEADER_LENGTH;
    }

    /**
     * Validates a CHUNK at {@code offset} ending at or before {@code limit}: type byte, offset 0..2^63-1,
     * {@code offset + dataLength <= 2^63-1}, data inside. Returns {@code 15 + dataLength} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, HEADER_LENGTH) || BigEndian.getU8(buf, offset) != FrameType.CHUNK) {
            return -1;
        }
        long contentOffset = BigEndian.getI64(buf, offset + OFFSET_FIELD_OFFSET);
        int dataLength = BigEndian.getU16(buf, offset + DATA_LENGTH_OFFSET);
        if (contentOffset < 0 || contentOffset > Long.MAX_VALUE - dataLength
                || !Bounds.fits(buf, offset, limit, HEADER_LENGTH + dataLength)) {
            return -1;
        }
        return HEADER_LENGTH + dataLength;
    }
}
