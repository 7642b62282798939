package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over a RESET packet: the stateless reply to DATA for a connection id the receiver does not know
 * (it restarted or already closed the connection), and the refusal of a HELLO. Header type
 * {@link PacketType#RESET}, connection id echoes the one received, packet number 0. Offsets are from the packet
 * start.
 *
 * <pre>
 *  0            16              18                              34
 *  +------------+---------------+-------------------------------+-----+
 *  | header     | errorCode u16 | resetToken (16 bytes)          | tag |
 *  +------------+---------------+-------------------------------+-----+
 * </pre>
 *
 * <p>The reset token proves that the RESET comes from the server that issued the connection id (it was sent
 * inside the encrypted ACCEPT; RFC 9000 section 10.3). A refusal of a HELLO carries 16 zero bytes: no token
 * exists yet.
 */
public final class ResetPacket extends PacketFlyweight<ResetPacket> {

    /** Offset of the u16 {@link ErrorCode}. */
    public static final int ERROR_CODE_OFFSET = 16;
    /** Offset of the 16-byte reset token. */
    public static final int TOKEN_OFFSET = 18;
    /** Reset token length. */
    public static final int TOKEN_LENGTH = 16;
    /** Packet length without tag. */
    public static final int LENGTH = TOKEN_OFFSET + TOKEN_LENGTH;

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

    /** Absolute index of the reset token. */
    public int tokenIndex() {
        return offset + TOKEN_OFFSET;
    }

    /** Writes a whole RESET with a zero token (packet number 0); returns the end offset, where the tag goes. */
    public static int encode(ByteBuffer buf, int offset, long connectionId, int errorCode) {
        return encode(buf, offset, connectionId, errorCode, null);
    }

    /**
     * Writes a whole RESET with {@code token} (16 bytes; null for zeros) (packet number 0); returns the end
     * offset, where the caller seals the tag.
     */
    public static int encode(ByteBuffer buf, int offset, long connectionId, int errorCode, byte[] token) {
        Bounds.requireRange("errorCode", errorCode, BigEndian.MAX_U16);
        if (token != null && token.length < TOKEN_LENGTH) {
            throw new IllegalArgumentException("a reset token is " + TOKEN_LENGTH + " bytes");
        }
        Bounds.requireRoom(buf, offset, LENGTH, "RESET");
        PacketHeader.write(buf, offset, PacketType.RESET, connectionId, 0);
        BigEndian.putU16(buf, offset + ERROR_CODE_OFFSET, errorCode);
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            buf.put(offset + TOKEN_OFFSET + i, token == null ? 0 : token[i]);
        }
        return offset + LENGTH;
    }

    /**
     * Validates a RESET filling exactly {@code [offset, limit)} (limit = where the tag starts): magic, version 2,
     * type RESET, token present. Returns {@link #LENGTH} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return checkStart(buf, offset, limit, PacketType.RESET, PacketHeader.VERSION, LENGTH) == LENGTH
                ? LENGTH : -1;
    }
}
