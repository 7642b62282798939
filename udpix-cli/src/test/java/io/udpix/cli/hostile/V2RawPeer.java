package io.udpix.cli.hostile;

import io.udpix.engine.EndpointConfig;
import io.udpix.engine.connection.HandshakeParams;
import io.udpix.engine.crypto.HandshakeState;
import io.udpix.engine.crypto.NoiseException;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.wire.AcceptPacket;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.FinishPacket;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.RetryPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link RawPeer} for protocol version 2: the Noise XX handshake (HELLO with message 1 padded to 1200 bytes, an
 * optional RETRY answered with its cookie, ACCEPT with message 2, FINISH with message 3) written packet by packet
 * with the wire codecs and the Noise classes, then every DATA packet sealed with AES-256-GCM under the session
 * keys. Handshake packets keep their CRC32C tag. Several peers may share one socket; each keeps only datagrams
 * addressed to its own connection ID. Keys and the Noise ephemeral come from SecureRandom, never the test seed.
 */
final class V2RawPeer implements RawPeer {
    static final int HELLO_BYTES = 1200;
    private static final long RESEND_NS = 250_000_000L;
    private static final int MAX_DATAGRAM_BYTES = 65_507;
    private static final long IDLE_TIMEOUT_MS = 30_000;
    private static final int EPOCH_BITS = EndpointConfig.builder().build().keyUpdateEpochBits;

    private final DatagramSocket socket;
    private final boolean ownsSocket;
    private final InetSocketAddress server;
    private final long clientId;
    private final StaticKeyPair key;
    private final Crc32cProtection crc = new Crc32cProtection();
    private final ByteBuffer out = ByteBuffer.allocate(65_536);
    private final byte[] in = new byte[65_536];
    private final HandshakeState noise;
    private final byte[] message1;
    private PacketCipher cipher;
    private byte[] finish;
    private long serverId;
    private long nextPacketNumber;
    private long bytesSent;
    private long bytesReceived;

    V2RawPeer(DatagramSocket socket, boolean ownsSocket, InetSocketAddress server, SplittableRandom random,
            StaticKeyPair key) {
        this.socket = socket;
        this.ownsSocket = ownsSocket;
        this.server = server;
        long id = random.nextLong();
        this.clientId = id == 0 ? 1 : id;
        SecureRandom secure = new SecureRandom();
        this.key = key != null ? key : StaticKeyPair.generate(secure);
        // The prologue binds the HELLO's fixed fields (as the engine's client does).
        ByteBuffer fixed = ByteBuffer.allocate(HelloPacket.MIN_DATAGRAM_BYTES);
        HelloPacket.encode(fixed, 0, clientId, MAX_DATAGRAM_BYTES, IDLE_TIMEOUT_MS, new byte[0], 0, 64);
        this.noise = HandshakeState.initiator(this.key, HandshakeParams.prologue(fixed, 0), secure);
        try {
            this.message1 = noise.writeMessage(HandshakeParams.clientBlock());
        } catch (NoiseException e) {
            throw new IllegalStateException("writing Noise message 1 cannot fail", e);
        }
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
            ByteBuffer reply = receiveOne(Duration.ofNanos(Math.max(1_000_000, waitNs)));
            if (reply == null || reply.limit() < PacketHeader.LENGTH + Crc32cProtection.TAG_LENGTH
                    || reply.getLong(PacketHeader.CONNECTION_ID_OFFSET) != clientId
                    || !crc.open(reply, 0, reply.limit())) {
                continue;
            }
            int payloadEnd = reply.limit() - Crc32cProtection.TAG_LENGTH;
            int type = reply.get(PacketHeader.TYPE_OFFSET) & 0xFF;
            if (type == PacketType.RETRY && RetryPacket.check(reply, 0, payloadEnd) > 0) {
                byte[] c = new byte[64];
                int n = new RetryPacket().wrap(reply, 0).copyCookie(c);
                cookie = Arrays.copyOf(c, n);
                nextSendNs = 0;
            } else if (type == PacketType.ACCEPT && AcceptPacket.check(reply, 0, payloadEnd) > 0) {
                byte[] block;
                try {
                    block = noise.readMessage(new AcceptPacket().wrap(reply, 0).noise());
                } catch (NoiseException e) {
                    continue; // Not a genuine ACCEPT; one may still come.
                }
                HandshakeParams.Parsed parsed = HandshakeParams.parse(block);
                if (parsed.error() != null) {
                    return Handshake.refused(20);
                }
                serverId = parsed.params().serverConnectionId();
                try {
                    byte[] message3 = noise.writeMessage(HandshakeParams.clientBlock());
                    byte[][] keys = noise.split();
                    cipher = new PacketCipher(keys[0], keys[1], EPOCH_BITS);
                    out.clear();
                    int n = crc.seal(out, 0, FinishPacket.encode(out, 0, serverId, message3));
                    finish = Arrays.copyOf(out.array(), n);
                } catch (NoiseException e) {
                    return Handshake.refused(20);
                }
                sendRaw(finish);
                return Handshake.ACCEPTED;
            } else if (type == PacketType.RESET) {
                return Handshake.refused(reply.getShort(PacketHeader.LENGTH) & 0xFFFF);
            } else if (type == PacketType.VERSION) {
                return Handshake.refused(10);
            }
        }
        return Handshake.NO_ANSWER;
    }

    private byte[] hello(byte[] cookie) {
        out.clear();
        int payloadEnd = HelloPacket.encode(out, 0, clientId, MAX_DATAGRAM_BYTES, IDLE_TIMEOUT_MS, cookie,
                cookie.length, message1, HELLO_BYTES - Crc32cProtection.TAG_LENGTH);
        int n = crc.seal(out, 0, payloadEnd);
        return Arrays.copyOf(out.array(), n);
    }

    @Override
    public byte[] helloDatagram() {
        return hello(new byte[0]);
    }

    @Override
    public byte[] sendFrames(byte[]... frames) throws IOException {
        if (cipher == null) {
            throw new IllegalStateException("no keys yet: run the handshake first");
        }
        if (nextPacketNumber < 2 && finish != null) {
            sendRaw(finish); // Until the server's first DATA shows it has FINISH; cheap insurance on loopback.
        }
        byte[] body = Frames.concat(frames);
        out.clear();
        int end = PacketHeader.write(out, 0, PacketType.DATA, serverId, nextPacketNumber++);
        out.put(end, body);
        int n = cipher.seal(out, 0, end + body.length);
        byte[] datagram = Arrays.copyOf(out.array(), n);
        sendRaw(datagram);
        return datagram;
    }

    @Override
    public void sendRaw(byte[] datagram) throws IOException {
        bytesSent += datagram.length;
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    @Override
    public Packet receive(Duration timeout) throws IOException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true) {
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                return null;
            }
            ByteBuffer p = receiveOne(Duration.ofNanos(leftNs));
            if (p == null) {
                return null;
            }
            int length = p.limit();
            if (length < PacketHeader.LENGTH + Crc32cProtection.TAG_LENGTH
                    || p.getLong(PacketHeader.CONNECTION_ID_OFFSET) != clientId) {
                continue;
            }
            int type = p.get(PacketHeader.TYPE_OFFSET) & 0xFF;
            long pn = p.getInt(PacketHeader.PACKET_NUMBER_OFFSET) & 0xFFFF_FFFFL;
            if (type == PacketType.DATA) {
                if (cipher == null || length < PacketHeader.LENGTH + PacketCipher.TAG_BYTES
                        || !cipher.open(p, 0, length)) {
                    continue;
                }
                byte[] body = Arrays.copyOfRange(in, PacketHeader.LENGTH, length - PacketCipher.TAG_BYTES);
                return new Packet(type, clientId, pn, body, length);
            }
            if (!crc.open(p, 0, length)) {
                continue;
            }
            byte[] body = Arrays.copyOfRange(in, PacketHeader.LENGTH, length - Crc32cProtection.TAG_LENGTH);
            return new Packet(type, clientId, pn, body, length);
        }
    }

    private ByteBuffer receiveOne(Duration timeout) throws IOException {
        long ms = Math.max(1, timeout.toMillis());
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
        DatagramPacket d = new DatagramPacket(in, in.length);
        try {
            socket.receive(d);
        } catch (SocketTimeoutException e) {
            return null;
        }
        bytesReceived += d.getLength();
        return ByteBuffer.wrap(in, 0, d.getLength()).slice();
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
