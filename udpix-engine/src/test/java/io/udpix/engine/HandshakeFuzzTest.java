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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Jazzer target for the handshake (docs/FUZZING.md), protocol v1: handshake packets with a valid header and tag
 * around fuzzed bodies, so that they reach the handshake code rather than die at the checksum.
 *
 * <p>Input: byte 0 picks the side. Even: a fresh server gets records {@code [from u8][length u16][body]} as HELLOs
 * (connection id 0) from up to four addresses; it must never send an address more than three times the bytes it
 * received from it (RFC 9000 section 8.1) and never hold more than its connection limit. Odd: a client that just sent
 * its HELLO gets records {@code [type u8][length u16][body]} as RETRY, ACCEPT, RESET or VERSION packets to its
 * connection id, then runs against a real server; it must end up established or closed with a clear event within
 * its handshake timeout. Both: nothing escapes {@code handleDatagram}, no internal error.
 */
class HandshakeFuzzTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    static final int MAX_CONNECTIONS = 3;
    static final int MAX_RECORDS = 32;
    static final int[] CLIENT_SIDE_TYPES = {PacketType.RETRY, PacketType.ACCEPT, PacketType.RESET, PacketType.VERSION};

    private static final ByteBuffer PACKET = ByteBuffer.allocate(65_536);
    private static final ByteBuffer OUT = ByteBuffer.allocate(65_536);

    @FuzzTest(maxDuration = "10s")
    void handshakePacketsWithAnyBodyNeitherAmplifyNorBreakEitherSide(byte[] input) {
        if (input.length < 1) {
            return;
        }
        if ((input[0] & 1) == 0) {
            serverSide(input);
        } else {
            clientSide(input);
        }
    }

    private static void serverSide(byte[] input) {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(21)
                .maxConnections(MAX_CONNECTIONS).build(), (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        Map<InetSocketAddress, long[]> bytesByAddress = new HashMap<>(); // {received, sent}
        long nowNs = 0;
        int at = 1;
        for (int records = 0; records < MAX_RECORDS && at + 3 <= input.length; records++) {
            InetSocketAddress from = new InetSocketAddress("10.0.1." + (1 + (input[at] & 0x03)), 5000);
            int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
            byte[] datagram = seal(PacketType.HELLO, 0, Arrays.copyOfRange(input, at + 3, at + 3 + length));
            at += 3 + length;
            nowNs += 1_000_000;
            server.handleDatagram(from, ByteBuffer.wrap(datagram), nowNs);
            bytesByAddress.computeIfAbsent(from, a -> new long[2])[0] += datagram.length;
            for (InetSocketAddress to = server.pollTransmit(OUT.clear(), nowNs); to != null;
                 to = server.pollTransmit(OUT.clear(), nowNs)) {
                bytesByAddress.computeIfAbsent(to, a -> new long[2])[1] += OUT.remaining();
            }
            assertThat(server.stats().internalErrors()).as("internal errors: %s", server.stats()).isZero();
            assertThat(server.connectionCount()).as("connections").isBetween(0, MAX_CONNECTIONS);
        }
        bytesByAddress.forEach((address, bytes) -> assertThat(bytes[1]).as("bytes sent to %s (received %d)",
                address, bytes[0]).isLessThanOrEqualTo(3 * bytes[0]));
    }

    private static void clientSide(byte[] input) {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(22).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(23).build(), SinkFactory.refuseAll());
        client.connect(SERVER, 0);
        // The client's HELLO names its connection id; the forged replies are addressed to it.
        InetSocketAddress to = client.pollTransmit(OUT.clear(), 0);
        assertThat(to).isEqualTo(SERVER);
        long clientId = OUT.getLong(OUT.position() + HelloPacket.CLIENT_CONNECTION_ID_OFFSET);
        byte[] hello = new byte[OUT.remaining()];
        OUT.get(hello);

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
            client.handleDatagram(SERVER, ByteBuffer.wrap(datagram), 1_000_000);
            assertThat(client.stats().internalErrors()).as("internal errors: %s", client.stats()).isZero();
        }

        MiniNet net = new MiniNet(24, 5_000_000L, 0);
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        net.inject(CLIENT, SERVER, hello);
        boolean[] ended = new boolean[1];
        boolean done = net.runUntil(() -> {
            for (EndpointEvent e = client.pollEvent(); e != null; e = client.pollEvent()) {
                ended[0] |= e instanceof ConnectionEstablished || e instanceof ConnectionClosed;
            }
            return ended[0];
        }, 60_000_000_000L);
        assertThat(done).as("the client is established or closed: %s", client.stats()).isTrue();
        assertThat(client.stats().internalErrors()).as("client internal errors").isZero();
        assertThat(server.stats().internalErrors()).as("server internal errors").isZero();
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
