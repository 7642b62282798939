package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over an ACCEPT packet (server to client; header type {@link PacketType#ACCEPT}, connection id = the
 * client's connection id, packet number 0). Offsets are from the packet start.
 *
 * <pre>
 *  0            16             18                                                   18+M
 *  +------------+--------------+----------------------------------------------------+-----+
 *  | header     | noiseLength  | Noise message 2 (M bytes): e (32), encrypted s     | tag |
 *  | (16 bytes) | u16 = M      | (32 + 16), encrypted capability block (+16)        | CRC |
 *  +------------+--------------+----------------------------------------------------+-----+
 * </pre>
 *
 * <p>Everything the server announces (its connection id, limits, reset token, features) is in the
 * {@link CapabilityBlock} inside message 2, encrypted and authenticated by the handshake. The CRC32C tag only
 * catches accidents; the Noise tags are what an attacker cannot forge.
 */
public final class AcceptPacket {

    /** Offset of the u16 length of Noise message 2. */
    public static final int NOISE_LENGTH_OFFSET = 16;
    /** Offset of Noise message 2. */
    public static final int NOISE_OFFSET = 18;
    /** Smallest Noise message 2 (e, encrypted s, empty encrypted payload). */
    public static final int MIN_NOISE_BYTES = 96;
    /** Largest Noise message 2 carried. */
    public static final int MAX_NOISE_BYTES = 512;

    private final PacketHeader header = new PacketHeader();
    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the packet starting at {@code offset}; returns this. */
    public AcceptPacket wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        header.wrap(buf, offset);
        return this;
    }

    /** The header flyweight over the same packet. */
    public PacketHeader header() {
        return header;
    }

    /** Length of Noise message 2. */
    public int noiseLength() {
        return BigEndian.getU16(buffer, offset + NOISE_LENGTH_OFFSET);
    }

    /** Copies Noise message 2 into a new array (the handshake is not a hot path). */
    public byte[] noise() {
        byte[] b = new byte[noiseLength()];
        buffer.get(offset + NOISE_OFFSET, b);
        return b;
    }

    /** Writes a whole ACCEPT; returns the end offset, where the caller seals the tag. */
    public static int encode(ByteBuffer buf, int offset, long clientConnectionId, byte[] noise) {
        if (noise.length < MIN_NOISE_BYTES || noise.length > MAX_NOISE_BYTES) {
            throw new IllegalArgumentException("Noise message 2 of " + noise.length + " bytes is outside "
                    + MIN_NOISE_BYTES + ".." + MAX_NOISE_BYTES);
        }
        Bounds.requireRoom(buf, offset, NOISE_OFFSET + noise.length, "ACCEPT");
        PacketHeader.write(buf, offset, PacketType.ACCEPT, clientConnectionId, 0);
        BigEndian.putU16(buf, offset + NOISE_LENGTH_OFFSET, noise.length);
        buf.put(offset + NOISE_OFFSET, noise);
        return offset + NOISE_OFFSET + noise.length;
    }

    /**
     * Validates an ACCEPT filling exactly {@code [offset, limit)} (limit = where the tag starts): magic, version 2,
     * type ACCEPT, a Noise message length in range that fills the rest. Returns {@code limit - offset} or -1.
     * Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!PacketHeader.checkHeader(buf, offset, limit, PacketType.ACCEPT, PacketHeader.VERSION)
                || !Bounds.fits(buf, offset, limit, NOISE_OFFSET)) {
            return -1;
        }
        int n = BigEndian.getU16(buf, offset + NOISE_LENGTH_OFFSET);
        return n >= MIN_NOISE_BYTES && n <= MAX_NOISE_BYTES && limit - offset == NOISE_OFFSET + n
                ? limit - offset : -1;
    }
}
