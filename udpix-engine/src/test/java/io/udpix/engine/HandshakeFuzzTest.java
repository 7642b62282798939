package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jazzer target for the protocol v2 handshake (docs/FUZZING.md, docs/PROTOCOL.md sections 2, 3 and 5.1): handshake
 * packets with a valid header and CRC32C tag around fuzzed bodies, so that they reach the handshake code (the
 * Noise messages inside them, the capability block, the padding) rather than die at the tag.
 *
 * <p>Input: byte 0 picks the side. <b>Even: server side.</b> A genuine client {@link Endpoint} first sends its HELLO
 * and gets the server's ACCEPT, so that the server holds one half-open handshake; the client's FINISH is held back.
 * Then records {@code [selector u8][length u16][body]}: selector bits 0-1 pick the sender (0 the genuine client's
 * address, 1-3 other addresses), bit 7 the packet: 0 a HELLO (connection id 0; the body is everything after the
 * header: fields, cookie, Noise message 1, padding), 1 a FINISH to the half-open handshake's server connection id.
 * Invariants: the server never sends an address more than three times the bytes it received from it (RFC 9000
 * section 8.1), never holds more half-open handshakes or connections than its limits, and the genuine FINISH
 * delivered afterwards still completes the handshake: a forged FINISH leaves the Noise state as it was.
 *
 * <p><b>Odd: client side.</b> A client that just sent its HELLO gets records {@code [type u8][length u16][body]} as
 * RETRY, ACCEPT, RESET or VERSION packets to its connection id, then runs against a real server; it must end up
 * established or closed with a clear event, and established when no RESET or VERSION was among the records (a
 * HELLO refusal carries no token, so an off-path RESET may legitimately end a handshake; a forged ACCEPT must not).
 *
 * <p>Both: nothing escapes {@code handleDatagram}, no internal error. Secrets come from a SecureRandom seeded per
 * run here (SHA1PRNG) so that a finding replays exactly; the product draws them from the system.
 */
class HandshakeFuzzTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    static final int MAX_CONNECTIONS = 3;
    static final int MAX_HALF_OPEN = 4;
    static final int MAX_HALF_OPEN_PER_ADDRESS = 2;
    static final int MAX_RECORDS = 32;
    static final long LIMIT_NS = 60_000_000_000L;
    static final int[] CLIENT_SIDE_TYPES = {PacketType.RETRY, PacketType.ACCEPT, PacketType.RESET, PacketType.VERSION};

    private static final ByteBuffer PACKET = ByteBuffer.allocate(65_536);
    private static final ByteBuffer OUT = ByteBuffer.allocate(65_536);

    @FuzzTest(maxDuration = "10s")
    void handshakePacketsWithAnyBodyNeitherAmplifyNorBreakEitherSide(byte[] input) throws Exception {
        if (input.length < 1) {
            return;
        }
        if ((input[0] & 1) == 0) {
            serverSide(input);
        } else {
            clientSide(input);
        }
    }

    private static void serverSide(byte[] input) throws Exception {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(21)
                .secureRandom(seeded(21)).maxConnections(MAX_CONNECTIONS).maxHalfOpen(MAX_HALF_OPEN)
                .maxHalfOpenPerAddress(MAX_HALF_OPEN_PER_ADDRESS).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(25).secureRandom(seeded(25)).build(),
                SinkFactory.refuseAll());
        Map<InetSocketAddress, long[]> bytesByAddress = new HashMap<>(); // {received, sent}

        // A genuine HELLO and ACCEPT: one half-open handshake, whose FINISH the client now holds.
        client.connect(SERVER, 0);
        InetSocketAddress to = client.pollTransmit(OUT.clear(), 0);
        assertThat(to).isEqualTo(SERVER);
        byte[] accept = deliver(server, CLIENT, copy(OUT), 0, bytesByAddress);
        assertThat(server.halfOpenCount()).as("half-open after the genuine HELLO: %s", server.stats()).isEqualTo(1);
        assertThat(accept).as("the server's ACCEPT").isNotNull();
        client.handleDatagram(SERVER, ByteBuffer.wrap(accept), 0);
        byte[] finish = null;
        for (InetSocketAddress t = client.pollTransmit(OUT.clear(), 0); t != null; t = client.pollTransmit(OUT.clear(), 0)) {
            if ((OUT.get(OUT.position() + PacketHeader.TYPE_OFFSET) & 0xFF) == PacketType.FINISH) {
                finish = copy(OUT);
            }
        }
        assertThat(finish).as("the client's FINISH").isNotNull();
        long serverId = ByteBuffer.wrap(finish).getLong(PacketHeader.CONNECTION_ID_OFFSET);

        long nowNs = 0;
        int at = 1;
        for (int records = 0; records < MAX_RECORDS && at + 3 <= input.length; records++) {
            int selector = input[at] & 0xFF;
            InetSocketAddress from = (selector & 0x03) == 0 ? CLIENT
                    : new InetSocketAddress("10.0.1." + (selector & 0x03), 5000);
            int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
            byte[] body = Arrays.copyOfRange(input, at + 3, at + 3 + length);
            at += 3 + length;
            byte[] datagram = (selector & 0x80) == 0 ? seal(PacketType.HELLO, 0, body)
                    : seal(PacketType.FINISH, serverId, body);
            nowNs += 1_000_000;
            deliver(server, from, datagram, nowNs, bytesByAddress);
            assertThat(server.stats().internalErrors()).as("internal errors: %s", server.stats()).isZero();
            assertThat(server.halfOpenCount()).as("half-open handshakes").isBetween(0, MAX_HALF_OPEN);
            assertThat(server.connectionCount() + server.halfOpenCount()).as("connections and half-open handshakes")
                    .isBetween(0, MAX_CONNECTIONS);
        }
        bytesByAddress.forEach((address, bytes) -> assertThat(bytes[1]).as("bytes sent to %s (received %d)",
                address, bytes[0]).isLessThanOrEqualTo(3 * bytes[0]));

        // The genuine FINISH still completes the handshake: no forged FINISH or HELLO spoiled the entry.
        long accepted = server.stats().connectionsAccepted();
        MiniNet net = new MiniNet(26, 5_000_000L, 0);
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        net.inject(CLIENT, SERVER, finish);
        boolean done = net.runUntil(() -> server.stats().connectionsAccepted() > accepted
                || server.connection(serverId) != null, LIMIT_NS);
        assertThat(done).as("the genuine FINISH completes the handshake; server %s", server.stats()).isTrue();
        assertThat(server.stats().internalErrors()).as("server internal errors: %s", server.stats()).isZero();
        assertThat(client.stats().internalErrors()).as("client internal errors: %s", client.stats()).isZero();
        assertThat(server.connectionCount()).as("connections").isBetween(1, MAX_CONNECTIONS);
    }

    private static void clientSide(byte[] input) throws Exception {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(22)
                .secureRandom(seeded(22)).build(), (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(23).secureRandom(seeded(23)).build(),
                SinkFactory.refuseAll());
        client.connect(SERVER, 0);
        // The client's HELLO names its connection id; the forged replies are addressed to it.
        InetSocketAddress to = client.pollTransmit(OUT.clear(), 0);
        assertThat(to).isEqualTo(SERVER);
        long clientId = OUT.getLong(OUT.position() + HelloPacket.CLIENT_CONNECTION_ID_OFFSET);
        byte[] hello = copy(OUT);

        boolean mayEndIt = false;
        int at = 1;
        for (int records = 0; records < MAX_RECORDS && at + 3 <= input.length; records++) {
            int type = CLIENT_SIDE_TYPES[(input[at] & 0xFF) % CLIENT_SIDE_TYPES.length];
            int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
            byte[] body = Arrays.copyOfRange(input, at + 3, at + 3 + length);
            at += 3 + length;
            byte[] datagram = seal(type, clientId, body);
            if (type == PacketType.VERSION) {
                datagram[PacketHeader.VERSION_OFFSET] = 0; // VERSION packets carry header version 0 ...
                datagram = reseal(datagram); // ... under the tag
            }
            mayEndIt |= type == PacketType.RESET || type == PacketType.VERSION;
            client.handleDatagram(SERVER, ByteBuffer.wrap(datagram), 1_000_000);
            assertThat(client.stats().internalErrors()).as("internal errors: %s", client.stats()).isZero();
        }

        MiniNet net = new MiniNet(24, 5_000_000L, 0);
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        net.inject(CLIENT, SERVER, hello);
        List<EndpointEvent> events = new ArrayList<>();
        boolean done = net.runUntil(() -> {
            for (EndpointEvent e = client.pollEvent(); e != null; e = client.pollEvent()) {
                events.add(e);
            }
            return events.stream().anyMatch(e -> e instanceof ConnectionEstablished || e instanceof ConnectionClosed);
        }, LIMIT_NS);
        assertThat(done).as("the client is established or closed: %s", client.stats()).isTrue();
        if (!mayEndIt) {
            assertThat(events).as("no RESET or VERSION was forged, so the handshake completes; client %s",
                    client.stats()).anySatisfy(e -> assertThat(e).isInstanceOf(ConnectionEstablished.class));
        }
        assertThat(client.stats().internalErrors()).as("client internal errors").isZero();
        assertThat(server.stats().internalErrors()).as("server internal errors").isZero();
    }

    /** Hands {@code datagram} to the server and counts what it sends back; returns the last reply, or null. */
    private static byte[] deliver(Endpoint server, InetSocketAddress from, byte[] datagram, long nowNs,
            Map<InetSocketAddress, long[]> bytesByAddress) {
        server.handleDatagram(from, ByteBuffer.wrap(datagram), nowNs);
        bytesByAddress.computeIfAbsent(from, a -> new long[2])[0] += datagram.length;
        byte[] last = null;
        for (InetSocketAddress to = server.pollTransmit(OUT.clear(), nowNs); to != null;
             to = server.pollTransmit(OUT.clear(), nowNs)) {
            bytesByAddress.computeIfAbsent(to, a -> new long[2])[1] += OUT.remaining();
            last = copy(OUT);
        }
        return last;
    }

    private static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed); // before any output: the stream is then a function of the seed alone
        return random;
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(b.position(), bytes);
        return bytes;
    }

    private static byte[] seal(int type, long connectionId, byte[] body) {
        PACKET.clear();
        int length = Math.min(body.length, PACKET.capacity() - PacketHeader.LENGTH - Crc32cProtection.TAG_LENGTH);
        int end = PacketHeader.write(PACKET, 0, type, connectionId, 0);
        PACKET.put(end, body, 0, length);
        end = new Crc32cProtection().seal(PACKET, 0, end + length);
        return Arrays.copyOf(PACKET.array(), end);
    }

    private static byte[] reseal(byte[] datagram) {
        ByteBuffer buf = ByteBuffer.wrap(datagram);
        new Crc32cProtection().seal(buf, 0, datagram.length - Crc32cProtection.TAG_LENGTH);
        return datagram;
    }
}
