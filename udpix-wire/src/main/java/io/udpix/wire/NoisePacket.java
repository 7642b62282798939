package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * The shared layout of the two handshake packets whose whole body is one length-prefixed Noise message: ACCEPT
 * (message 2) and FINISH (message 3). Each subclass keeps its own type, bounds and ASCII diagram; this class
 * holds the offsets, the getters, the encoder and the check they share. Only this package subclasses it.
 *
 * <pre>
 *  0            16             18                  18+M
 *  +------------+--------------+-------------------+-----+
 *  | header     | noiseLength  | Noise message     | tag |
 *  | (16 bytes) | u16 = M      | (M bytes)         | CRC |
 *  +------------+--------------+-------------------+-----+
 * </pre>
 *
 * @param <T> the concrete packet type
 */
public abstract class NoisePacket<T extends NoisePacket<T>> extends PacketFlyweight<T> {

    /** Offset of the u16 length of the Noise message. */
    public static final int NOISE_LENGTH_OFFSET = 16;
    /** Offset of the Noise message. */
    public static final int NOISE_OFFSET = 18;

    NoisePacket() {
    }

    /** Length of the Noise message (message 2 in ACCEPT, 3 in FINISH). */
    public final int noiseLength() {
        return BigEndian.getU16(buffer, offset + NOISE_LENGTH_OFFSET);
    }

    /** Copies the Noise message into a new array (the handshake is not a hot path). */
    public final byte[] noise() {
        byte[] b = new byte[noiseLength()];
        buffer.get(offset + NOISE_OFFSET, b);
        return b;
    }

    /**
     * Writes a whole packet of {@code type} (packet number 0) carrying Noise message {@code messageNumber}, which
     * must be {@code minNoiseBytes..maxNoiseBytes} long; returns the end offset, where the caller seals the tag.
     */
    static int encodeNoisePacket(ByteBuffer buf, int offset, int type, String typeName, long connectionId,
                                 byte[] noise, int messageNumber, int minNoiseBytes, int maxNoiseBytes) {
        if (noise.length < minNoiseBytes || noise.length > maxNoiseBytes) {
            throw new IllegalArgumentException("Noise message " + messageNumber + " of " + noise.length
                    + " bytes is outside " + minNoiseBytes + ".." + maxNoiseBytes);
        }
        Bounds.requireRoom(buf, offset, NOISE_OFFSET + noise.length, typeName);
        PacketHeader.write(buf, offset, type, connectionId, 0);
        BigEndian.putU16(buf, offset + NOISE_LENGTH_OFFSET, noise.length);
        buf.put(offset + NOISE_OFFSET, noise);
        return offset + NOISE_OFFSET + noise.length;
    }

    /**
     * Validates a packet of {@code type} filling exactly {@code [offset, limit)} (limit = where the tag starts):
     * the common header with version 2, a Noise message length in {@code minNoiseBytes..maxNoiseBytes} that fills
     * the rest. Returns {@code limit - offset} or -1. Never throws.
     */
    static int checkNoisePacket(ByteBuffer buf, int offset, int limit, int type, int minNoiseBytes,
                                int maxNoiseBytes) {
        int packetBytes = checkStart(buf, offset, limit, type, PacketHeader.VERSION, NOISE_OFFSET);
        if (packetBytes < 0) {
            return -1;
        }
        int n = BigEndian.getU16(buf, offset + NOISE_LENGTH_OFFSET);
        return n >= minNoiseBytes && n <= maxNoiseBytes && packetBytes == NOISE_OFFSET + n ? packetBytes : -1;
    }
}
