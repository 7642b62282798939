package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over an ACCEPT packet (server to client; header type {@link PacketType#ACCEPT}, connection id = the
 * client's connection id, packet number 0). Offsets are from the packet start; {@link #NOISE_LENGTH_OFFSET} and
 * {@link #NOISE_OFFSET} are the ones FINISH shares.
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
public final class AcceptPacket extends NoisePacket<AcceptPacket> {

    /** Smallest Noise message 2 (e, encrypted s, empty encrypted payload). */
    public static final int MIN_NOISE_BYTES = 96;
    /** Largest Noise message 2 carried. */
    public static final int MAX_NOISE_BYTES = 512;

    /** Writes a whole ACCEPT; returns the end offset, where the caller seals the tag. */
    public static int encode(ByteBuffer buf, int offset, long clientConnectionId, byte[] noise) {
        return encodeNoisePacket(buf, offset, PacketType.ACCEPT, "ACCEPT", clientConnectionId, noise, 2,
                MIN_NOISE_BYTES, MAX_NOISE_BYTES);
    }

    /**
     * Validates an ACCEPT filling exactly {@code [offset, limit)} (limit = where the tag starts): magic, version 2,
     * type ACCEPT, a Noise message length in range that fills the rest. Returns {@code limit - offset} or -1.
     * Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return checkNoisePacket(buf, offset, limit, PacketType.ACCEPT, MIN_NOISE_BYTES, MAX_NOISE_BYTES);
    }
}
