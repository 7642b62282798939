package io.udpix.cli.hostile;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The CRC32C integrity tag of docs/PROTOCOL.md section 2 (handshake packets; every packet in version 1), which
 * anyone can compute: attack tests put it on forged and probing datagrams so they pass that check and reach the
 * checks that matter.
 */
final class Crc32cTags {
    /** Bytes of the tag. */
    static final int TAG_BYTES = 4;

    private Crc32cTags() {
    }

    /** Writes the CRC32C of bytes [0, payloadEnd) big-endian at payloadEnd; returns {@code datagram}. */
    static byte[] seal(byte[] datagram, int payloadEnd) {
        CRC32C crc = new CRC32C();
        crc.update(datagram, 0, payloadEnd);
        ByteBuffer.wrap(datagram).putInt(payloadEnd, (int) crc.getValue());
        return datagram;
    }
}
