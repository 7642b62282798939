package io.udpix.wire;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * {@link PacketProtection} by CRC32C (Castagnoli, RFC 3720 appendix B.4): catches corruption, not attackers.
 *
 * <pre>
 *  packetStart                                   payloadEnd        packet end
 *  +---------------------------------------------+-----------------+
 *  | header and body (covered)                   | CRC32C u32 (BE) |
 *  +---------------------------------------------+-----------------+
 * </pre>
 *
 * <p>Allocation-free. Heap buffers are read through their backing array, leaving the buffer untouched; for
 * direct and read-only buffers the position and limit are set for the duration of the call and restored
 * afterwards (the mark may be discarded). Not thread-safe: one instance per thread.
 */
public final class Crc32cProtection implements PacketProtection {

    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 4;

    private final CRC32C crc = new CRC32C();

    @Override
    public int overheadBytes() {
        return TAG_LENGTH;
    }

    @Override
    public int seal(ByteBuffer buf, int packetStart, int payloadEnd) {
        if (packetStart < 0 || payloadEnd < packetStart || payloadEnd > buf.limit() - TAG_LENGTH) {
            throw new IndexOutOfBoundsException("cannot seal [" + packetStart + ", " + payloadEnd + ") with a "
                    + TAG_LENGTH + "-byte tag: the buffer's limit is " + buf.limit()
                    + "; leave overheadBytes() of room after the payload");
        }
        BigEndian.putI32(buf, payloadEnd, crc32c(buf, packetStart, payloadEnd));
        return payloadEnd + TAG_LENGTH;
    }

    @Override
    public boolean open(ByteBuffer buf, int packetStart, int packetEnd) {
        if (buf == null || packetStart < 0 || packetEnd < packetStart || packetEnd > buf.limit()
                || packetEnd - packetStart < TAG_LENGTH) {
            return false;
        }
        int tagIndex = packetEnd - TAG_LENGTH;
        return crc32c(buf, packetStart, tagIndex) == BigEndian.getI32(buf, tagIndex);
    }

    /** CRC32C of {@code buf[from, to)}; the caller has checked the range. */
    private int crc32c(ByteBuffer buf, int from, int to) {
        crc.reset();
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + from, to - from);
        } else {
            int savedPosition = buf.position();
            int savedLimit = buf.limit();
            try {
                buf.limit(to);
                buf.position(from);
                crc.update(buf);
            } finally {
                // Limit first: restoring the position first could fail while the limit is still lower.
                buf.limit(savedLimit);
                buf.position(savedPosition);
            }
        }
        return (int) crc.getValue();
    }
}
