package io.udpix.api;

import io.udpix.engine.connection.HandshakeParams;
import io.udpix.engine.crypto.HandshakeState;
import io.udpix.engine.crypto.NoiseException;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.wire.AcceptPacket;
import io.udpix.wire.ChunkFrame;
import io.udpix.wire.CloseFrame;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.FinishPacket;
import io.udpix.wire.FrameType;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.OpenFrame;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.RetryPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A raw udpix v2 client for tests and attack scenarios over a real loopback socket: it performs the handshake
 * byte by byte with the wire codecs and the Noise classes (HELLO, optional RETRY, ACCEPT, FINISH), then seals any
 * frames you give it into DATA packets with the connection's keys ({@link #sendFrames}), opens what the server
 * sends ({@link #receiveFrames}), and can send raw, unauthenticated bytes from its socket ({@link #sendRaw}).
 * Nothing in it retransmits or acknowledges by itself: that is the caller's business.
 */
final class RawPeer implements AutoCloseable {
    /** HELLO size sent (the server answers at most 3x what it receives). */
    static final int HELLO_BYTES = 1200;

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final long clientId;
    private final Crc32cProtection crc = new Crc32cProtection();
    private final ByteBuffer out = ByteBuffer.allocate(65_536);
    private final byte[] in = new byte[65_536];
    private PacketCipher cipher;
    private long serverId;
    private byte[] serverKey;
    private byte[] finish;
    private long nextPacketNumber;

    private RawPeer(InetSocketAddress server) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.server = server;
        this.clientId = new SecureRandom().nextLong() | 1;
    }

    /** Connects to {@code server} with {@code key} (null: a fresh key); throws when no ACCEPT comes in time. */
    static RawPeer connect(InetSocketAddress server, StaticKeyPair key, int timeoutMs) throws Exception {
        RawPeer p = new RawPeer(server);
        try {
            p.handshake(key == null ? StaticKeyPair.generate(new SecureRandom()) : key, timeoutMs);
            return p;
        } catch (Exception e) {
            p.close();
            throw e;
        }
    }

    private void handshake(StaticKeyPair key, int timeoutMs) throws Exception {
        SecureRandom random = new SecureRandom();
        out.clear();
        HelloPacket.encode(out, 0, clientId, 65_507, 30_000, null, 0, 64);
        HandshakeState noise = HandshakeState.initiator(key, HandshakeParams.prologue(out, 0), random);
        byte[] message1 = noise.writeMessage(HandshakeParams.clientBlock());
        byte[] cookie = new byte[0];
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        socket.setSoTimeout(200);
        while (System.nanoTime() < deadline) {
            out.clear();
            int end = HelloPacket.encode(out, 0, clientId, 65_507, 30_000, cookie, cookie.length, message1,
                    HELLO_BYTES - Crc32cProtection.TAG_LENGTH);
            sendToServer(crc.seal(out, 0, end));
            ByteBuffer reply = receiveOne();
            if (reply == null || !crc.open(reply, 0, reply.limit())) {
                continue;
            }
            int payloadEnd = reply.limit() - Crc32cProtection.TAG_LENGTH;
            int type = reply.get(PacketHeader.TYPE_OFFSET) & 0xFF;
            if (type == PacketType.RETRY && RetryPacket.check(reply, 0, payloadEnd) > 0) {
                cookie = new byte[RetryPacket.LENGTH - RetryPacket.COOKIE_OFFSET];
                new RetryPacket().wrap(reply, 0).copyCookie(cookie);
            } else if (type == PacketType.ACCEPT && AcceptPacket.check(reply, 0, payloadEnd) > 0) {
                byte[] block;
                try {
                    block = noise.readMessage(new AcceptPacket().wrap(reply, 0).noise());
                } catch (NoiseException e) {
                    continue;
                }
                HandshakeParams params = HandshakeParams.parse(block).params();
                serverId = params.serverConnectionId();
                serverKey = noise.remoteStaticKey();
                byte[] message3 = noise.writeMessage(HandshakeParams.clientBlock());
                byte[][] keys = noise.split();
                cipher = new PacketCipher(keys[0], keys[1], 22);
                out.clear();
                int n = crc.seal(out, 0, FinishPacket.encode(out, 0, serverId, message3));
                finish = Arrays.copyOf(out.array(), n);
                sendRaw(finish);
                return;
            }
        }
        throw new IOException("no ACCEPT from " + server + " within " + timeoutMs + " ms");
    }

    /** The server's static key proven in the handshake. */
    byte[] serverKey() {
        return serverKey.clone();
    }

    /** The server's connection id (what our DATA packets carry). */
    long serverConnectionId() {
        return serverId;
    }

    /** Our connection id (what the server's DATA packets carry). */
    long clientConnectionId() {
        return clientId;
    }

    /** This peer's local address. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends FINISH again (the server may not have it yet). */
    void resendFinish() throws IOException {
        sendRaw(finish);
    }

    /** Seals {@code frames} into the next DATA packet and sends it; returns its packet number. */
    long sendFrames(byte[] frames) throws IOException {
        long pn = nextPacketNumber++;
        out.clear();
        int end = PacketHeader.write(out, 0, PacketType.DATA, serverId, pn);
        out.put(end, frames);
        sendToServer(cipher.seal(out, 0, end + frames.length));
        return pn;
    }

    /** Sends {@code bytes} as they are, unauthenticated, from this peer's socket. */
    void sendRaw(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    private void sendToServer(int length) throws IOException {
        socket.send(new DatagramPacket(out.array(), 0, length, server));
    }

    /** The frames of the next DATA packet from the server that authenticates, or null after {@code timeoutMs}. */
    byte[] receiveFrames(int timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            ByteBuffer p = receiveOne();
            if (p == null || p.limit() < PacketHeader.LENGTH + PacketCipher.TAG_BYTES
                    || (p.get(PacketHeader.TYPE_OFFSET) & 0xFF) != PacketType.DATA || !cipher.open(p, 0, p.limit())) {
                continue;
            }
            return Arrays.copyOfRange(in, PacketHeader.LENGTH, p.limit() - PacketCipher.TAG_BYTES);
        }
        return null;
    }

    private ByteBuffer receiveOne() throws IOException {
        DatagramPacket d = new DatagramPacket(in, in.length);
        try {
            socket.receive(d);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return ByteBuffer.wrap(in, 0, d.getLength()).slice();
    }

    /** Frames one OPEN. */
    static byte[] open(long transferId, int kind, long sizeBytes, byte[] sha256, String mediaType, String name) {
        ByteBuffer b = ByteBuffer.allocate(OpenFrame.encodedLength(mediaType, name));
        int n = OpenFrame.encode(b, 0, transferId, kind, 0, sizeBytes, sha256, mediaType, name);
        return Arrays.copyOf(b.array(), n);
    }

    /** Frames one CHUNK. */
    static byte[] chunk(long transferId, long offset, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(ChunkFrame.HEADER_LENGTH + data.length);
        int at = ChunkFrame.writeHeader(b, 0, transferId, offset, data.length);
        b.put(at, data);
        return b.array();
    }

    /** Frames one CLOSE. */
    static byte[] closeFrame(int code, String reason) {
        ByteBuffer b = ByteBuffer.allocate(CloseFrame.encodedLength(reason));
        CloseFrame.encode(b, 0, code, reason);
        return b.array();
    }

    /** Concatenates frames. */
    static byte[] frames(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Offset of the first frame of {@code type} in {@code frames}, or -1 (walks the frames with their checks). */
    static int find(byte[] frames, int type) {
        ByteBuffer b = ByteBuffer.wrap(frames);
        int at = 0;
        while (at < frames.length) {
            int t = frames[at] & 0xFF;
            if (t == type) {
                return at;
            }
            int len = FrameType.check(t, b, at, frames.length);
            if (len <= 0) {
                return -1;
            }
            at += len;
        }
        return -1;
    }

    @Override
    public void close() {
        socket.close();
    }
}
