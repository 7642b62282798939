package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * The per-packet integrity check: a tag that is the last bytes of every datagram and covers everything before it.
 *
 * <p>Designed so that an AEAD (16-byte tag, header as associated data) can replace CRC32C later with the same
 * call sites: the caller reserves {@link #overheadBytes()} after the payload, and the tag is always at the end.
 * Implementations are not thread-safe: use one instance per thread.
 */
public interface PacketProtection {

    /** Bytes the tag adds after the payload (4 for CRC32C). */
    int overheadBytes();

    /**
     * Writes the tag over {@code [packetStart, payloadEnd)} at {@code payloadEnd}; returns the packet end
     * ({@code payloadEnd + overheadBytes()}). Throws {@link IndexOutOfBoundsException} when the tag does not fit
     * below the buffer's limit.
     */
    int seal(ByteBuffer buf, int packetStart, int payloadEnd);

    /**
     * True when the tag in the last {@link #overheadBytes()} before {@code packetEnd} matches the bytes before it.
     * Never throws: impossible ranges (negative, beyond the limit, shorter than the tag) are simply false.
     */
    boolean open(ByteBuffer buf, int packetStart, int packetEnd);
}
