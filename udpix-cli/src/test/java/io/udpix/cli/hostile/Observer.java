package io.udpix.cli.hostile;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * What an on-path observer learns from the datagrams it saw, and the packets it forges from that: the connection
 * IDs in the clear headers, the highest packet numbers, and a DATA packet with any frames and a packet number
 * ahead of the real ones. The forged packet carries a version-1 integrity tag (CRC32C, which anyone can compute);
 * a protocol with a MAC makes it fail authentication, which is the point.
 */
final class Observer {
    private static final int HEADER_BYTES = 16;
    private static final int DATA = 0x10;

    private Observer() {
    }

    /** The connection ID the server gave (carried by the client's DATA packets); 0 if none was seen. */
    static long serverConnectionId(List<RecordingRelay.Datagram> seen) {
        return connectionId(seen, RecordingRelay.Direction.TO_SERVER);
    }

    /** The client's connection ID (carried by every server packet, the handshake's too); 0 if none was seen. */
    static long clientConnectionId(List<RecordingRelay.Datagram> seen) {
        for (RecordingRelay.Datagram d : seen) {
            byte[] b = d.bytes();
            if (d.direction() == RecordingRelay.Direction.TO_CLIENT && b.length >= HEADER_BYTES && b[0] == 0x55
                    && b[1] == 0x58) {
                return ByteBuffer.wrap(b).getLong(4);
            }
        }
        return 0;
    }

    private static long connectionId(List<RecordingRelay.Datagram> seen, RecordingRelay.Direction direction) {
        for (RecordingRelay.Datagram d : seen) {
            if (d.direction() == direction && isData(d.bytes())) {
                return ByteBuffer.wrap(d.bytes()).getLong(4);
            }
        }
        return 0;
    }

    /** The highest packet number seen in DATA packets going {@code direction}; -1 if none. */
    static long highestPacketNumber(List<RecordingRelay.Datagram> seen, RecordingRelay.Direction direction) {
        long highest = -1;
        for (RecordingRelay.Datagram d : seen) {
            if (d.direction() == direction && isData(d.bytes())) {
                highest = Math.max(highest, ByteBuffer.wrap(d.bytes()).getInt(12) & 0xFFFF_FFFFL);
            }
        }
        return highest;
    }

    private static boolean isData(byte[] datagram) {
        return datagram.length >= HEADER_BYTES + 4 && datagram[0] == 0x55 && datagram[1] == 0x58
                && (datagram[3] & 0xFF) == DATA;
    }

    /**
     * A DATA packet for {@code connectionId} with {@code packetNumber} and {@code frames}, in the protocol version
     * the observed packets carry. Its tag is the CRC32C of the bytes before it, which is all version 1 asks; for a
     * later version (a 16-byte AEAD tag) the CRC32C is followed by zeros: the best an observer without the keys
     * can do.
     */
    static byte[] forge(List<RecordingRelay.Datagram> seen, long connectionId, long packetNumber, byte[]... frames) {
        int version = 1;
        for (RecordingRelay.Datagram d : seen) {
            if (isData(d.bytes())) {
                version = d.bytes()[2] & 0xFF;
                break;
            }
        }
        int tagBytes = version == 1 ? Crc32cTags.TAG_BYTES : 16;
        byte[] body = Frames.concat(frames);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + body.length + tagBytes);
        b.put((byte) 0x55).put((byte) 0x58).put((byte) version).put((byte) DATA).putLong(connectionId)
                .putInt((int) packetNumber).put(body);
        return Crc32cTags.seal(b.array(), HEADER_BYTES + body.length);
    }

    /** SHA-256 of {@code bytes}. */
    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
