package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over a HELLO packet (client to server; header type {@link PacketType#HELLO}, connection id 0,
 * packet number 0). Offsets are from the packet start; N = 31 + L.
 *
 * <pre>
 *  0          16                       24           26             30       31         N        N+2
 *  +----------+------------------------+------------+--------------+--------+----------+--------+-----------+---------+-----+
 *  | header   | clientConnectionId     | maxDatagram| idleTimeoutMs| cookie | cookie   | noise  | Noise     | zero    | tag |
 *  | (16)     | u64, nonzero           | Bytes u16  | u32          | Length | L bytes  | Length | message 1 | padding | CRC |
 *  |          |                        |            |              | u8 = L | (0 or 24)| u16 = M| (M bytes) |         |     |
 *  +----------+------------------------+------------+--------------+--------+----------+--------+-----------+---------+-----+
 *  |&lt;------------ fixed fields: the Noise prologue after "udpix/2" ------>|
 * </pre>
 *
 * <p>Noise message 1 ({@code -> e}) is the client's ephemeral key and its capability block in clear. The prologue
 * binds the fixed fields [0, 30) so that changing them in flight breaks the handshake; the cookie is not bound
 * (it only proves the address, and it changes when the server sends a new RETRY).
 *
 * <p>The client pads the datagram with zeros to at least {@link #MIN_DATAGRAM_BYTES} (tag included); a server
 * drops smaller HELLOs so that its replies are never larger than what it received (anti-amplification, RFC 9000
 * section 8.1). The padding bytes must be zero.
 */
public final class HelloPacket extends PacketFlyweight<HelloPacket> {

    /** Smallest HELLO datagram, tag included, that a server answers. */
    public static final int MIN_DATAGRAM_BYTES = 512;
    /** Offset of the u64 client connection id (the id the server must put in packets to the client). */
    public static final int CLIENT_CONNECTION_ID_OFFSET = 16;
    /** Offset of the u16 largest datagram the client accepts. */
    public static final int MAX_DATAGRAM_BYTES_OFFSET = 24;
    /** Offset of the u32 idle timeout the client proposes, in milliseconds. */
    public static final int IDLE_TIMEOUT_MS_OFFSET = 26;
    /** Offset of the u8 cookie length (0 or {@link Cookie#LENGTH}). */
    public static final int COOKIE_LENGTH_OFFSET = 30;
    /** Offset of the cookie bytes. */
    public static final int COOKIE_OFFSET = 31;
    /** End of the fixed fields the Noise prologue covers. */
    public static final int PROLOGUE_FIELDS_END = COOKIE_LENGTH_OFFSET;
    /** Largest Noise message 1 carried. */
    public static final int MAX_NOISE_BYTES = 1024;

    /** The client's connection id (u64, nonzero in a well-formed HELLO). */
    public long clientConnectionId() {
        return BigEndian.getI64(buffer, offset + CLIENT_CONNECTION_ID_OFFSET);
    }

    /** Sets the client's connection id (nonzero: 0 means "no connection yet" in headers); returns this. */
    public HelloPacket clientConnectionId(long clientConnectionId) {
        if (clientConnectionId == 0) {
            throw new IllegalArgumentException("clientConnectionId 0 is reserved; draw another random id");
        }
        BigEndian.putI64(buffer, offset + CLIENT_CONNECTION_ID_OFFSET, clientConnectionId);
        return this;
    }

    /** The largest datagram the client accepts, 0..65535. */
    public int maxDatagramBytes() {
        return BigEndian.getU16(buffer, offset + MAX_DATAGRAM_BYTES_OFFSET);
    }

    /** Sets the largest datagram the client accepts (0..65535); returns this. */
    public HelloPacket maxDatagramBytes(int maxDatagramBytes) {
        Bounds.requireRange("maxDatagramBytes", maxDatagramBytes, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + MAX_DATAGRAM_BYTES_OFFSET, maxDatagramBytes);
        return this;
    }

    /** The idle timeout the client proposes, in milliseconds (0..2^32-1). */
    public long idleTimeoutMs() {
        return BigEndian.getU32(buffer, offset + IDLE_TIMEOUT_MS_OFFSET);
    }

    /** Sets the proposed idle timeout (0..2^32-1 ms); returns this. */
    public HelloPacket idleTimeoutMs(long idleTimeoutMs) {
        Bounds.requireRange("idleTimeoutMs", idleTimeoutMs, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + IDLE_TIMEOUT_MS_OFFSET, idleTimeoutMs);
        return this;
    }

    /** The cookie length byte (0 or 24 in a well-formed HELLO). */
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

    /** Writes the cookie length and the first {@code length} bytes of {@code src} (length 0 or 24); returns this. */
    public HelloPacket cookie(byte[] src, int length) {
        requireCookieLength(length);
        BigEndian.putU8(buffer, offset + COOKIE_LENGTH_OFFSET, length);
        if (length > 0) {
            buffer.put(offset + COOKIE_OFFSET, src, 0, length);
        }
        return this;
    }

    private static void requireCookieLength(int length) {
        if (length != 0 && length != Cookie.LENGTH) {
            throw new IllegalArgumentException("cookie length " + length + " must be 0 or " + Cookie.LENGTH
                    + "; echo the cookie from RETRY unchanged");
        }
    }

    /** Absolute index of the u16 Noise message length (just after the cookie). */
    public int noiseLengthIndex() {
        return offset + COOKIE_OFFSET + cookieLength();
    }

    /** Length of Noise message 1. */
    public int noiseLength() {
        return BigEndian.getU16(buffer, noiseLengthIndex());
    }

    /** Absolute index of Noise message 1. */
    public int noiseOffset() {
        return noiseLengthIndex() + 2;
    }

    /** Absolute index just after Noise message 1, where the zero padding starts. */
    public int bodyEnd() {
        return noiseOffset() + noiseLength();
    }

    /** Body bytes after the header, without padding: {@code 17 + cookieLength + noiseLength}. */
    public static int bodyLength(int cookieLength, int noiseLength) {
        return COOKIE_OFFSET - PacketHeader.LENGTH + cookieLength + 2 + noiseLength;
    }

    /**
     * Writes a whole HELLO (header with connection id 0 and packet number 0, fields, cookie, zero padding up to
     * {@code payloadEnd}); returns {@code payloadEnd}, where the caller seals the tag. Throws
     * IllegalArgumentException when the arguments do not fit.
     */
    public static int encode(ByteBuffer buf, int offset, long clientConnectionId, int maxDatagramBytes,
                             long idleTimeoutMs, byte[] cookie, int cookieLength, int payloadEnd) {
        return encode(buf, offset, clientConnectionId, maxDatagramBytes, idleTimeoutMs, cookie, cookieLength,
                new byte[0], payloadEnd);
    }

    /**
     * Writes a whole HELLO with Noise message 1 {@code noise} (header with connection id 0 and packet number 0,
     * fields, cookie, Noise message, zero padding up to {@code payloadEnd}); returns {@code payloadEnd}, where the
     * caller seals the tag. Throws IllegalArgumentException when the arguments do not fit.
     */
    public static int encode(ByteBuffer buf, int offset, long clientConnectionId, int maxDatagramBytes,
                             long idleTimeoutMs, byte[] cookie, int cookieLength, byte[] noise, int payloadEnd) {
        if (noise.length > MAX_NOISE_BYTES) {
            throw new IllegalArgumentException("Noise message 1 of " + noise.length + " bytes is over "
                    + MAX_NOISE_BYTES);
        }
        int bodyEnd = offset + PacketHeader.LENGTH + bodyLength(cookieLength, noise.length);
        if (payloadEnd < bodyEnd) {
            throw new IllegalArgumentException("payloadEnd " + payloadEnd + " is before the HELLO body's end "
                    + bodyEnd + "; pad to at least " + MIN_DATAGRAM_BYTES + " bytes with the tag");
        }
        if (clientConnectionId == 0) {
            throw new IllegalArgumentException("clientConnectionId 0 is reserved; draw another random id");
        }
        Bounds.requireRange("maxDatagramBytes", maxDatagramBytes, BigEndian.MAX_U16);
        Bounds.requireRange("idleTimeoutMs", idleTimeoutMs, BigEndian.MAX_U32);
        requireCookieLength(cookieLength);
        Bounds.requireRoom(buf, offset, payloadEnd - offset, "HELLO");
        PacketHeader.write(buf, offset, PacketType.HELLO, 0, 0);
        BigEndian.putI64(buf, offset + CLIENT_CONNECTION_ID_OFFSET, clientConnectionId);
        BigEndian.putU16(buf, offset + MAX_DATAGRAM_BYTES_OFFSET, maxDatagramBytes);
        BigEndian.putU32(buf, offset + IDLE_TIMEOUT_MS_OFFSET, idleTimeoutMs);
        BigEndian.putU8(buf, offset + COOKIE_LENGTH_OFFSET, cookieLength);
        if (cookieLength > 0) {
            buf.put(offset + COOKIE_OFFSET, cookie, 0, cookieLength);
        }
        BigEndian.putU16(buf, offset + COOKIE_OFFSET + cookieLength, noise.length);
        buf.put(offset + COOKIE_OFFSET + cookieLength + 2, noise);
        PaddingFrame.fill(buf, bodyEnd, payloadEnd);
        return payloadEnd;
    }

    /**
     * Validates a HELLO in {@code [offset, limit)} (limit = where the tag starts): header magic, version 2, type
     * HELLO, connection id 0; client connection id nonzero; cookie length 0 or 24 and inside; the Noise message
     * length inside (at most {@link #MAX_NOISE_BYTES}); every byte after the Noise message zero. Returns
     * {@code limit - offset} (the whole packet without tag) or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (checkStart(buf, offset, limit, PacketType.HELLO, PacketHeader.VERSION, COOKIE_OFFSET) < 0
                || BigEndian.getI64(buf, offset + PacketHeader.CONNECTION_ID_OFFSET) != 0
                || BigEndian.getI64(buf, offset + CLIENT_CONNECTION_ID_OFFSET) == 0) {
            return -1;
        }
        int cookieLength = BigEndian.getU8(buf, offset + COOKIE_LENGTH_OFFSET);
        if ((cookieLength != 0 && cookieLength != Cookie.LENGTH)
                || !Bounds.fits(buf, offset, limit, COOKIE_OFFSET + cookieLength)) {
            return -1;
        }
        int noiseLengthIndex = COOKIE_OFFSET + cookieLength;
        if (!Bounds.fits(buf, offset, limit, noiseLengthIndex + 2)) {
            return -1;
        }
        int noiseLength = BigEndian.getU16(buf, offset + noiseLengthIndex);
        if (noiseLength > MAX_NOISE_BYTES || !Bounds.fits(buf, offset, limit, noiseLengthIndex + 2 + noiseLength)) {
            return -1;
        }
        for (int i = offset + noiseLengthIndex + 2 + noiseLength; i < limit; i++) {
            if (buf.get(i) != 0) {
                return -1;
            }
        }
        return limit - offset;
    }
}
