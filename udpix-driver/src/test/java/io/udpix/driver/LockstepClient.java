package io.udpix.driver;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/** A plain blocking UDP client for tests: sends one datagram and waits (bounded) for one reply. */
public final class LockstepClient implements AutoCloseable {
    private static final int REPLY_TIMEOUT_MS = 10_000;
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final byte[] replyBuffer = new byte[65_536];

    public LockstepClient(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(REPLY_TIMEOUT_MS);
        socket.setReceiveBufferSize(1 << 20);
    }

    public void send(byte[] payload) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length, server));
    }

    /** The next datagram's bytes; throws SocketTimeoutException after 10 s of silence. */
    public byte[] receive() throws IOException {
        DatagramPacket packet = new DatagramPacket(replyBuffer, replyBuffer.length);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    public byte[] roundTrip(byte[] payload) throws IOException {
        send(payload);
        return receive();
    }

    /** The client's own address, as a receiver sees it. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
    }
}
