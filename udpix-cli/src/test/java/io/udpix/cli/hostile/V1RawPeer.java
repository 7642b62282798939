package io.udpix.cli.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * {@link RawPeer} for protocol version 1 (docs/PROTOCOL.md sections 2 and 3): HELLO padded to 1200 bytes, the
 * stateless RETRY answered with its cookie, ACCEPT; every packet closed by a CRC32C tag of the bytes before it.
 * Written from the specification, not the product's codecs. Several peers may share one socket (a flood from one
 * socket): each keeps only datagrams addressed to its own connection ID.
 */
final class V1RawPeer implements RawPeer {
    static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int TAG_BYTES = 4;
    static final int HELLO_BYTES = 1200;
    private static final long RESEND_NS = 300_000_000L;

    private final DatagramSocket socket;
    private final boolean ownsSocket;
    private final InetSocketAddress server;
    private final long clientId;
    private final byte[] receiveBuffer = new byte[65_536];
    private long serverId;
    private long nextPacketNumber;
    private long bytesSent;
    private long bytesReceived;

    V1RawPeer(DatagramSocket socket, boolean ownsSocket, InetSocketAddress server, SplittableRandom random) {
        this.socket = socket;
        this.ownsSocket = ownsSocket;
        this.server = server;
        long id = random.nextLong();
        this.clientId = id == 0 ? 1 : id;
    }

    @Override
    public Handshake handshake(Duration timeout) throws IOException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        byte[] cookie = new byte[0];
        long nextSendNs = 0;
        while (System.nanoTime() < deadlineNs) {
            if (System.nanoTime() >= nextSendNs) {
                sendRaw(hello(cookie));
                nextSendNs = System.nanoTime() + RESEND_NS;
            }
            long waitNs = Math.min(deadlineNs, nextSendNs) - System.nanoTime();
            Packet p = receive(Duration.ofNanos(Math.max(1_000_000, waitNs)));
            if (p == null) {
                continue;
            }
            switch (p.type()) {
                case PacketTypes.RETRY -> {
                    // helloSize u16, cookie length u8, cookie (section 3.2).
                    int length = p.body()[2] & 0xFF;
                    cookie = java.util.Arrays.copyOfRange(p.body(), 3, 3 + length);
                    nextSendNs = 0;
                }
                case PacketTypes.ACCEPT -> {
                    serverId = ByteBuffer.wrap(p.body()).getLong(0);
                    return Handshake.ACCEPTED;
                }
                case PacketTypes.RESET -> {
                    return Handshake.refused(p.resetCode());
                }
                case PacketTypes.VERSION -> {
                    return Handshake.refused(10);
                }
                default -> {
                    // A stray DATA packet: not part of the handshake.
                }
            }
        }
        return Handshake.NO_ANSWER;
    }

    @Override
    public byte[] helloDatagram() {
        return hello(new byte[0]);
    }

    /** A HELLO (section 3.1) padded with zeros to 1200 bytes. */
    private byte[] hello(byte[] cookie) {
        ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES);
        header(b, PacketTypes.HELLO, 0, 0);
        b.putLong(clientId).putShort((short) 65_507).putInt(30_000).put((byte) cookie.length).put(cookie);
        return seal(b.array(), HELLO_BYTES - TAG_BYTES);
    }

    @Override
    public byte[] sendFrames(byte[]... frames) throws IOException {
        byte[] body = Frames.concat(frames);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + body.length + TAG_BYTES);
        header(b, PacketTypes.DATA, serverId, nextPacketNumber++);
        b.put(body);
        byte[] datagram = seal(b.array(), HEADER_BYTES + body.length);
        sendRaw(datagram);
        return datagram;
    }

    private static void header(ByteBuffer b, int type, long connectionId, long packetNumber) {
        b.put((byte) 0x55).put((byte) 0x58).put((byte) VERSION).put((byte) type).putLong(connectionId)
                .putInt((int) packetNumber);
    }

    /** Writes the CRC32C of bytes [0, payloadEnd) at payloadEnd (section 2, integrity tag). */
    static byte[] seal(byte[] datagram, int payloadEnd) {
        CRC32C crc = new CRC32C();
        crc.update(datagram, 0, payloadEnd);
        ByteBuffer.wrap(datagram).putInt(payloadEnd, (int) crc.getValue());
        return datagram;
    }

    /** Whether the tag of {@code datagram} matches. */
    static boolean tagMatches(byte[] datagram, int length) {
        if (length < HEADER_BYTES + TAG_BYTES) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(datagram, 0, length - TAG_BYTES);
        return (int) crc.getValue() == ByteBuffer.wrap(datagram).getInt(length - TAG_BYTES);
    }

    @Override
    public void sendRaw(byte[] datagram) throws IOException {
        bytesSent += datagram.length;
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    @Override
    public Packet receive(Duration timeout) throws IOException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        DatagramPacket packet = new DatagramPacket(receiveBuffer, receiveBuffer.length);
        while (true) {
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            bytesReceived += packet.getLength();
            Packet p = open(packet.getData(), packet.getLength());
            if (p != null) {
                return p;
            }
        }
    }

    /** The packet if it is udpix, intact and for this connection; null otherwise. */
    private Packet open(byte[] received, int length) {
        byte[] bytes = java.util.Arrays.copyOf(received, length);
        if (length < HEADER_BYTES + TAG_BYTES || bytes[0] != 0x55 || bytes[1] != 0x58 || !tagMatches(bytes, length)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long connectionId = b.getLong(4);
        if (connectionId != clientId) {
            return null;
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, HEADER_BYTES, length - TAG_BYTES);
        return new Packet(bytes[3] & 0xFF, connectionId, b.getInt(12) & 0xFFFF_FFFFL, body, length);
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public void close() {
        if (ownsSocket) {
            socket.close();
        }
    }
}
