package io.udpix.engine;

import io.udpix.engine.connection.ConnectionProtection;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.engine.crypto.PacketCipherTwins;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.StreamOpenFrame;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Test helper for frame streams (docs/PROTOCOL.md section 5.8): a client and a server {@link Endpoint} on a
 * {@link MiniNet}, connected, their events collected. For receiver tests that need no real stream sender it can also
 * play the client's stream sender by hand: {@link #silenceClient} stops the real client's datagrams, then
 * {@link #injectFromClient} delivers DATA packets with any frames, sealed with the client's live keys.
 */
final class StreamPeers {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    /** Packet numbers of injected packets start here: far above the real client's, inside key epoch 0. */
    static final long INJECTED_FIRST_PACKET_NUMBER = 1 << 20;

    final Endpoint server;
    final Endpoint client;
    final MiniNet net;
    final long clientConnectionId;
    long serverConnectionId;
    final List<EndpointEvent> serverEvents = new ArrayList<>();
    final List<EndpointEvent> clientEvents = new ArrayList<>();
    private long nextInjectedPacketNumber = INJECTED_FIRST_PACKET_NUMBER;
    private final ByteBuffer scratch = ByteBuffer.allocate(65_536);

    private StreamPeers(Endpoint server, Endpoint client, MiniNet net) {
        this.server = server;
        this.client = client;
        this.net = net;
        this.clientConnectionId = client.connect(SERVER, 0);
    }

    /**
     * Two endpoints built from {@code serverConfig} and {@code clientConfig} (server side: accepts connections),
     * connected over a path of {@code oneWayDelayNs} without loss; returns once both sides are established.
     */
    static StreamPeers connect(Consumer<EndpointConfig.Builder> serverConfig,
            Consumer<EndpointConfig.Builder> clientConfig, long seed, long oneWayDelayNs) {
        EndpointConfig.Builder s = EndpointConfig.builder().acceptConnections(true).seed(seed).pathMtuDiscovery(false);
        serverConfig.accept(s);
        EndpointConfig.Builder c = EndpointConfig.builder().seed(seed + 1).pathMtuDiscovery(false);
        clientConfig.accept(c);
        MiniNet net = new MiniNet(seed, oneWayDelayNs, 0);
        Endpoint server = new Endpoint(s.build(), SinkFactory.refuseAll());
        Endpoint client = new Endpoint(c.build(), SinkFactory.refuseAll());
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        StreamPeers peers = new StreamPeers(server, client, net);
        boolean up = peers.runUntil(() -> peers.serverConnectionId != 0
                && peers.clientEvents.stream().anyMatch(e -> e instanceof ConnectionEstablished), 10_000_000_000L);
        if (!up) {
            throw new AssertionError("seed=" + seed + ": the handshake did not complete: client " + peers.clientEvents
                    + " server " + peers.serverEvents);
        }
        return peers;
    }

    /** Runs the network until {@code done} (events drained into the lists first) or the virtual time limit. */
    boolean runUntil(BooleanSupplier done, long limitNs) {
        return net.runUntil(() -> {
            drain();
            return done.getAsBoolean();
        }, limitNs);
    }

    /** Runs the network for {@code durationNs} of virtual time. */
    void runFor(long durationNs) {
        long until = net.nowNs() + durationNs;
        runUntil(() -> net.nowNs() >= until, until);
        drain();
    }

    long nowNs() {
        return net.nowNs();
    }

    private void drain() {
        EndpointEvent e;
        while ((e = server.pollEvent()) != null) {
            if (e instanceof ConnectionEstablished est) {
                serverConnectionId = est.connectionId();
            }
            serverEvents.add(e);
        }
        while ((e = client.pollEvent()) != null) {
            clientEvents.add(e);
        }
    }

    /** The server's events of one type, in order. */
    <T extends EndpointEvent> List<T> serverEvents(Class<T> type) {
        drain();
        return serverEvents.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The client's events of one type, in order. */
    <T extends EndpointEvent> List<T> clientEvents(Class<T> type) {
        drain();
        return clientEvents.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** From now on nothing the real client sends reaches the server (the test speaks for it). */
    void silenceClient() {
        net.dropIf((from, bytes) -> from.equals(CLIENT));
    }

    /** Delivers one DATA packet holding {@code frames} from the client to the server, sealed with its live keys. */
    void injectFromClient(byte[] frames) {
        PacketCipher keys = PacketCipherTwins.sendingTwin(
                (PacketCipher) ConnectionProtection.of(client.connection(clientConnectionId)));
        scratch.clear();
        long serverId = client.connection(clientConnectionId).peerId();
        int end = PacketHeader.write(scratch, 0, PacketType.DATA, serverId, nextInjectedPacketNumber++);
        scratch.put(end, frames);
        end = keys.seal(scratch, 0, end + frames.length);
        net.inject(CLIENT, SERVER, Arrays.copyOf(scratch.array(), end));
    }

    /** A STREAM_OPEN frame (name "cam-ID", JPEG, 640x480 at 30 fps). */
    static byte[] streamOpen(long streamId, int budgetMs, long senderClockUs) {
        ByteBuffer b = ByteBuffer.allocate(300);
        int end = StreamOpenFrame.encode(b, 0, streamId, 0, 0, budgetMs, 3000, 640, 480, senderClockUs,
                StreamOpenFrame.encodeName("cam-" + streamId));
        return Arrays.copyOf(b.array(), end);
    }

    /** FRAGMENT {@code index} of {@code frame} (frame number {@code n}) in fragments of {@code fragmentSize}. */
    static byte[] fragment(long streamId, long n, long captureUs, byte[] frame, int fragmentSize, int index) {
        ByteBuffer b = ByteBuffer.allocate(FragmentFrame.HEADER_LENGTH + fragmentSize);
        int data = FragmentFrame.writeHeader(b, 0, streamId, n, 0, captureUs, frame.length, fragmentSize, index);
        int length = FragmentFrame.fragmentDataLength(frame.length, fragmentSize, index);
        b.put(data, frame, index * fragmentSize, length);
        return Arrays.copyOf(b.array(), data + length);
    }

    /** Frames back to back, as one packet carries them. */
    static byte[] concat(byte[]... frames) {
        int length = 0;
        for (byte[] f : frames) {
            length += f.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] f : frames) {
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }
}
