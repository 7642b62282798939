package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over a RESET packet: the stateless reply to DATA for a connection id the receiver does not know
 * (it restarted or already closed the connection). Header type {@link PacketType#RESET}, connection id echoes
 * the one received, packet number 0. Offsets are from the packet start.
 *
 * <pre>
 *  0            16              18
 *  +------------+---------------+-----+
 *  | header     | errorCode u16 | tag |
 *  +------------+---------------+-----+
 * </pre>
 */
public final class ResetPacket {

    /** Offset of the u16 {@link ErrorCode}. */
    public static final int ERROR_CODE_OFFSET = 16;
    /** Packet length without tag. */
    public static final int LENGTH = 18;

    private final PacketHeader header = new PacketHeader();
    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the packet starting at {@code offset}; returns this. */
    public ResetPacket wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        header.wrap(buf, offset);
        return this;
    }

    /** The header flyweight over the same packet. */
    public PacketHeader header() {
        return header;
    }

    /** The {@link ErrorCode}, 0..65535 (unknown codes are legal). */
    public int errorCode() {
        return BigEndian.getU16(buffer, offset + ERROR_CODE_OFFSET);
    }

    /** Sets the error code (0..65535); returns this. */
    public ResetPacket errorCode(int errorCode) {
        Bounds.requireRange("errorCode", errorCode, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + ERROR_CODE_OFFSET, errorCode);
        return this;
    }

    /** Writes a whole RESET (packet number 0); returns the end offset, where the caller seals the tag. */
    public static int encode(ByteBuffer buf, int offset, long connectionId, int errorCode) {
        Bounds.requireRange("errorCode", errorCode, BigEndian.MAX_U16);
        Bounds.requireRoom(buf, offset, LENGTH, "RESET");
        PacketHeader.write(buf, offset, PacketType.RESET, connectionId, 0);
        BigEndian.putU16(buf, offset + ERROR_CODE_OFFSET, errorCode);
        return offset + LENGTH;
    }

    /**
     * Validates a RESET filling exactly {@code [offset, limit)} (limit = where the tag starts): magic, version 1,
     * type RESET. Returns {@link #LENGTH} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return PacketHeader.checkHeader(buf, offset, limit, PacketType.RESET, PacketHeader.VERSION)
                && limit - offset == LENGTH
                ? LENGTH : -1;
    }
}
