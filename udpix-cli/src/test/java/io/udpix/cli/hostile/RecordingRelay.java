package io.udpix.cli.hostile;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An on-path observer between one client and a server, on loopback: the client talks to {@link #address()}, the
 * relay forwards every datagram both ways and records it. A test can change or drop what passes
 * ({@link #mutator}) and inject datagrams of its own in either direction, as a man in the middle can; the server
 * sees the relay's back socket as the client's address.
 */
final class RecordingRelay implements AutoCloseable {
    /** Bound on recorded datagrams: a test transfer is far smaller; beyond it recording stops, forwarding goes on. */
    static final int MAX_RECORDED = 200_000;

    /** Which way a datagram travelled. */
    enum Direction { TO_SERVER, TO_CLIENT }

    /** One datagram that crossed the relay. */
    record Datagram(Direction direction, byte[] bytes) {
    }

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private final List<Datagram> recorded = new ArrayList<>();
    private final Thread toServer;
    private final Thread toClient;
    private volatile InetSocketAddress client;
    private volatile BiFunction<Direction, byte[], byte[]> mutator = (d, b) -> b;

    RecordingRelay(InetSocketAddress server) throws SocketException {
        this.server = server;
        this.front = new DatagramSocket(new InetSocketAddress(RawPeers.loopback(), 0));
        this.back = new DatagramSocket(new InetSocketAddress(RawPeers.loopback(), 0));
        this.toServer = new Thread(() -> pump(front, Direction.TO_SERVER), "relay-to-server");
        this.toClient = new Thread(() -> pump(back, Direction.TO_CLIENT), "relay-to-client");
        toServer.setDaemon(true);
        toClient.setDaemon(true);
        toServer.start();
        toClient.start();
    }

    /** Where the client should send. */
    InetSocketAddress address() {
        return (InetSocketAddress) front.getLocalSocketAddress();
    }

    /** Decides what is forwarded: the bytes to send on (possibly changed), or null to drop the datagram. */
    void mutator(BiFunction<Direction, byte[], byte[]> value) {
        this.mutator = value;
    }

    /** Sends {@code datagram} to the server from the relay's back socket (the address the server knows). */
    void injectToServer(byte[] datagram) throws IOException {
        back.send(new DatagramPacket(datagram, datagram.length, server));
    }

    /** Sends {@code datagram} to the client from the relay's front socket (the address the client knows). */
    void injectToClient(byte[] datagram) throws IOException {
        InetSocketAddress to = client;
        if (to == null) {
            throw new IllegalStateException("no client has sent anything yet");
        }
        front.send(new DatagramPacket(datagram, datagram.length, to));
    }

    /** A copy of what crossed so far, in order. */
    List<Datagram> recorded() {
        synchronized (recorded) {
            return new ArrayList<>(recorded);
        }
    }

    private void pump(DatagramSocket from, Direction direction) {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!from.isClosed()) {
            try {
                packet.setLength(buffer.length);
                from.receive(packet);
                byte[] bytes = java.util.Arrays.copyOf(buffer, packet.getLength());
                if (direction == Direction.TO_SERVER) {
                    client = (InetSocketAddress) packet.getSocketAddress();
                }
                synchronized (recorded) {
                    if (recorded.size() < MAX_RECORDED) {
                        recorded.add(new Datagram(direction, bytes));
                    }
                }
                byte[] out = mutator.apply(direction, bytes);
                if (out == null) {
                    continue;
                }
                if (direction == Direction.TO_SERVER) {
                    back.send(new DatagramPacket(out, out.length, server));
                } else if (client != null) {
                    front.send(new DatagramPacket(out, out.length, client));
                }
            } catch (IOException e) {
                // Closed, or a send failed: a relay on loopback has nothing to retry.
            }
        }
    }

    @Override
    public void close() {
        front.close();
        back.close();
        try {
            toServer.join(2_000);
            toClient.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
