package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over a FINISH packet (client to server; header type {@link PacketType#FINISH}, connection id = the
 * server's connection id, packet number 0). Offsets are from the packet start.
 *
 * <pre>
 *  0            16             18                                                   18+M
 *  +------------+--------------+----------------------------------------------------+-----+
 *  | header     | noiseLength  | Noise message 3 (M bytes): encrypted s (32 + 16),  | tag |
 *  | (16 bytes) | u16 = M      | encrypted capability block (+16)                   | CRC |
 *  +------------+--------------+----------------------------------------------------+-----+
 * </pre>
 *
 * <p>The client sends FINISH once it has checked the server's key, and repeats it until the first authenticated
 * DATA packet from the server arrives; the server answers a repeat after completion with nothing.
 */
public final class FinishPacket {

    /** Offset of the u16 length of Noise message 3. */
    public static final int NOISE_LENGTH_OFFSET = 16;
    /** Offset of Noise message 3. */
    public static final int NOISE_OFFSET = 18;
    /** Smallest Noise message 3 (encrypted s, empty encrypted payload). */
    public static final int MIN_NOISE_BYTES = 64;
    /** Largest Noise message 3 carried. */
    public static final int MAX_NOISE_BYTES = 512;

    private final PacketHeader header = new PacketHeader();
    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the packet starting at {@code offset}; returns this. */
    public FinishPacket wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        header.wrap(buf, offset);
        return this;
    }

    /** The header flyweight over the same packet. */
    public PacketHeader header() {
        return header;
    }

    /** Length of Noise message 3. */
    public int noiseLength() {
        return BigEndian.getU16(buffer, offset + NOISE_LENGTH_OFFSET);
    }

    /** Copies Noise message 3 into a new array (the handshake is not a hot path). */
    public byte[] noise() {
        byte[] b = new byte[noiseLength()];
        buffer.get(offset + NOISE_OFFSET, b);
        return b;
    }

    /** Writes a whole FINISH; returns the end offset, where the caller seals the tag. */
    public static int encode(ByteBuffer buf, int offset, long serverConnectionId, byte[] noise) {
        if (noise.length < MIN_NOISE_BYTES || noise.length > MAX_NOISE_BYTES) {
            throw new IllegalArgumentException("Noise message 3 of " + noise.length + " bytes is outside "
                    + MIN_NOISE_BYTES + ".." + MAX_NOISE_BYTES);
        }
        Bounds.requireRoom(buf, offset, NOISE_OFFSET + noise.length, "FINISH");
        PacketHeader.write(buf, offset, PacketType.FINISH, serverConnectionId, 0);
        BigEndian.putU16(buf, offset + NOISE_LENGTH_OFFSET, noise.length);
        buf.put(offset + NOISE_OFFSET, noise);
        return offset + NOISE_OFFSET + noise.length;
    }

    /**
     * Validates a FINISH filling exactly {@code [offset, limit)} (limit = where the tag starts): magic, version 2,
     * type FINISH, a Noise message length in range that fills the rest. Returns {@code limit - offset} or -1.
     * Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!PacketHeader.checkHeader(buf, offset, limit, PacketType.FINISH, PacketHeader.VERSION)
                || !Bounds.fits(buf, offset, limit, NOISE_OFFSET)) {
            return -1;
        }
        int n = BigEndian.getU16(buf, offset + NOISE_LENGTH_OFFSET);
        return n >= MIN_NOISE_BYTES && n <= MAX_NOISE_BYTES && limit - offset == NOISE_OFFSET + n
                ? limit - offset : -1;
    }
}
