package io.udpix.cli.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One connection to a udpix server driven byte by byte by an attack test: the handshake, DATA packets with any
 * frames, any raw bytes, and the server's replies. The attack tests use only this interface, so they survive a
 * change of the packet layer (how the handshake runs, how packets are sealed); {@link RawPeers} picks the
 * implementation for the protocol the product speaks.
 */
public interface RawPeer extends AutoCloseable {

    /** How a handshake ended: accepted, refused with an error code (RESET, VERSION), or no answer in time. */
    record Handshake(boolean accepted, int errorCode, boolean answered) {
        /** The server accepted the connection. */
        public static final Handshake ACCEPTED = new Handshake(true, 0, true);
        /** Nothing came back in time. */
        public static final Handshake NO_ANSWER = new Handshake(false, -1, false);

        /** Refused with {@code code} (section 4.11). */
        public static Handshake refused(int code) {
            return new Handshake(false, code, true);
        }
    }

    /** A datagram from the server for this connection, its protection already removed. */
    record Packet(int type, long connectionId, long packetNumber, byte[] body, int datagramBytes) {
        /** The error code of a RESET (or -1 for other packets). */
        public int resetCode() {
            return type == PacketTypes.RESET && body.length >= 2 ? ((body[0] & 0xFF) << 8) | (body[1] & 0xFF) : -1;
        }
    }

    /** Packet type values (section 2). */
    final class PacketTypes {
        /** HELLO. */
        public static final int HELLO = 0x01;
        /** RETRY. */
        public static final int RETRY = 0x02;
        /** ACCEPT. */
        public static final int ACCEPT = 0x03;
        /** VERSION. */
        public static final int VERSION = 0x04;
        /** RESET. */
        public static final int RESET = 0x05;
        /** DATA. */
        public static final int DATA = 0x10;

        private PacketTypes() {
        }
    }

    /** Runs the whole handshake (answering a RETRY or cookie round trip) within {@code timeout}. */
    Handshake handshake(Duration timeout) throws IOException;

    /**
     * The first datagram of the handshake, exactly as {@link #handshake} would send it first (for tests that
     * send it themselves, such as the amplification test).
     */
    byte[] helloDatagram();

    /** Seals {@code frames} into one DATA packet with the next packet number and sends it; returns the datagram. */
    byte[] sendFrames(byte[]... frames) throws IOException;

    /** Sends {@code datagram} unchanged to the server. */
    void sendRaw(byte[] datagram) throws IOException;

    /** The next datagram for this connection, opened; null when nothing came within {@code timeout}. */
    Packet receive(Duration timeout) throws IOException;

    /** The local address the server sees. */
    InetSocketAddress localAddress();

    /** Bytes of every datagram this connection sent (raw ones included). */
    long bytesSent();

    /** Bytes of every datagram that arrived on this peer's socket, for any connection. */
    long bytesReceived();

    /** Closes the socket if this peer owns it. */
    @Override
    void close();
}
