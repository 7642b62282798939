package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over a FINISH packet (client to server; header type {@link PacketType#FINISH}, connection id = the
 * server's connection id, packet number 0). Offsets are from the packet start; {@link #NOISE_LENGTH_OFFSET} and
 * {@link #NOISE_OFFSET} are the ones ACCEPT shares.
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
public final class FinishPacket extends NoisePacket<FinishPacket> {

    /** Smallest Noise message 3 (encrypted s, empty encrypted payload). */
    public static final int MIN_NOISE_BYTES = 64;
    /** Largest Noise message 3 carried. */
    public static final int MAX_NOISE_BYTES = 512;

    /** Writes a whole FINISH; returns the end offset, where the caller seals the tag. */
    public static int encode(ByteBuffer buf, int offset, long serverConnectionId, byte[] noise) {
        return encodeNoisePacket(buf, offset, PacketType.FINISH, "FINISH", serverConnectionId, noise, 3,
                MIN_NOISE_BYTES, MAX_NOISE_BYTES);
    }

    /**
     * Validates a FINISH filling exactly {@code [offset, limit)} (limit = where the tag starts): magic, version 2,
     * type FINISH, a Noise message length in range that fills the rest. Returns {@code limit - offset} or -1.
     * Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return checkNoisePacket(buf, offset, limit, PacketType.FINISH, MIN_NOISE_BYTES, MAX_NOISE_BYTES);
    }
}
