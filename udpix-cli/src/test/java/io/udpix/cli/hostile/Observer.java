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

    /** The client's connection ID (carried by the server's DATA packets); 0 if none was seen. */
    static long clientConnectionId(List<RecordingRelay.Datagram> seen) {
        return connectionId(seen, RecordingRelay.Direction.TO_CLIENT);
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

    /** A DATA packet for {@code connectionId} with {@code packetNumber} and {@code frames}, tagged as version 1. */
    static byte[] forge(long connectionId, long packetNumber, byte[]... frames) {
        byte[] body = Frames.concat(frames);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + body.length + V1RawPeer.TAG_BYTES);
        b.put((byte) 0x55).put((byte) 0x58).put((byte) V1RawPeer.VERSION).put((byte) DATA).putLong(connectionId)
                .putInt((int) packetNumber).put(body);
        return V1RawPeer.seal(b.array(), HEADER_BYTES + body.length);
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
