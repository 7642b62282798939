package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over a RETRY packet (server to client; header type {@link PacketType#RETRY}, connection id = the
 * client's connection id from its HELLO, packet number 0). The server keeps no state: it hands the client a
 * cookie to echo in a new HELLO (RFC 9000 section 8.1). Offsets are from the packet start.
 *
 * <pre>
 *  0            16              18       19                         43
 *  +------------+---------------+--------+--------------------------+-----+
 *  | header     | helloSizeBytes| cookie | cookie (24 bytes)        | tag |
 *  | (16 bytes) | u16           | Len u8 |                          |     |
 *  +------------+---------------+--------+--------------------------+-----+
 * </pre>
 */
public final class RetryPacket extends PacketFlyweight<RetryPacket> {

    /** Offset of the u16 size of the HELLO datagram (tag included) this RETRY answers. */
    public static final int HELLO_SIZE_BYTES_OFFSET = 16;
    /** Offset of the u8 cookie length (always {@link Cookie#LENGTH}). */
    public static final int COOKIE_LENGTH_OFFSET = 18;
    /** Offset of the cookie bytes. */
    public static final int COOKIE_OFFSET = 19;
    /** Packet length without tag. */
    public static final int LENGTH = COOKIE_OFFSET + Cookie.LENGTH;

    /** Size of the HELLO datagram this answers, 0..65535. */
    public int helloSizeBytes() {
        return BigEndian.getU16(buffer, offset + HELLO_SIZE_BYTES_OFFSET);
    }

    /** Sets the size of the HELLO datagram this answers (0..65535); returns this. */
    public RetryPacket helloSizeBytes(int helloSizeBytes) {
        Bounds.requireRange("helloSizeBytes", helloSizeBytes, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + HELLO_SIZE_BYTES_OFFSET, helloSizeBytes);
        return this;
    }

    /** The cookie length byte (24 in a well-formed RETRY). */
    public int cookieLength() {
        return BigEndian.getU8(buffer, offset + COOKIE_LENGTH_OFFSET);
    }

    /** Absolute buffer index of the cookie bytes. */
    public int cookieOffset() {
        return offset + COOKIE_OFFSET;
    }

    /** Copies the cookie into {@code dst} (at least {@link #cookieLength()} long); returns the cookie length. */
    public int copyCookie(byte[] dst) {
        int length = cookieLength();
        buffer.get(offset + COOKIE_OFFSET, dst, 0, length);
        return length;
    }

    /** Writes the cookie length and the first {@code length} bytes of {@code src} (length must be 24); returns this. */
    public RetryPacket cookie(byte[] src, int length) {
        if (length != Cookie.LENGTH) {
            throw new IllegalArgumentException("RETRY cookie length " + length + " must be " + Cookie.LENGTH);
        }
        BigEndian.putU8(buffer, offset + COOKIE_LENGTH_OFFSET, length);
        buffer.put(offset + COOKIE_OFFSET, src, 0, length);
        return this;
    }

    /**
     * Writes a whole RETRY (header: connection id = the client's, packet number 0); returns the end offset,
     * where the caller seals the tag.
     */
    public static int encode(ByteBuffer buf, int offset, long clientConnectionId, int helloSizeBytes, byte[] cookie) {
        Bounds.requireRange("helloSizeBytes", helloSizeBytes, BigEndian.MAX_U16);
        if (cookie == null || cookie.length < Cookie.LENGTH) {
            throw new IllegalArgumentException("RETRY needs a " + Cookie.LENGTH + "-byte cookie");
        }
        Bounds.requireRoom(buf, offset, LENGTH, "RETRY");
        PacketHeader.write(buf, offset, PacketType.RETRY, clientConnectionId, 0);
        BigEndian.putU16(buf, offset + HELLO_SIZE_BYTES_OFFSET, helloSizeBytes);
        BigEndian.putU8(buf, offset + COOKIE_LENGTH_OFFSET, Cookie.LENGTH);
        buf.put(offset + COOKIE_OFFSET, cookie, 0, Cookie.LENGTH);
        return offset + LENGTH;
    }

    /**
     * Validates a RETRY filling exactly {@code [offset, limit)} (limit = where the tag starts): magic, version 2,
     * type RETRY, cookie length 24. Returns {@link #LENGTH} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return checkStart(buf, offset, limit, PacketType.RETRY, PacketHeader.VERSION, LENGTH) == LENGTH
                && BigEndian.getU8(buf, offset + COOKIE_LENGTH_OFFSET) == Cookie.LENGTH
                ? LENGTH : -1;
    }
}
