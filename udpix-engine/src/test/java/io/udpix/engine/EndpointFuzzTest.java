package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.connection.ConnectionProtection;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.engine.crypto.PacketCipherTwins;
import io.udpix.wire.CloseFrame;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Jazzer target for {@link Endpoint#handleDatagram} with connection state (docs/FUZZING.md). Each input gets a
 * fresh server that already has an established protocol v2 connection from a real client {@link Endpoint}
 * (in-memory network, no sockets; Noise XX handshake, AES-256-GCM DATA packets) with two transfers in progress;
 * the input is a list of datagrams injected into the server mid-transfer.
 *
 * <p>Input: records of {@code [kind u8][length u16 big-endian][length bytes]}. Kind (mod 5):
 * 0 raw bytes from the client's address, 1 raw bytes from another address, 2 a DATA packet to the live connection
 * id (bytes = u32 packet number, of which the low 24 bits are used, then frames) sealed with the live connection's
 * real client-to-server keys so that it authenticates and reaches the frame parser, from the client's address,
 * 3 the same from another address, 4 a packet of any type (bytes = type u8, then body) sealed with CRC32C to the
 * live connection id or, when the type byte is odd, to id 0: a forgery without the keys, which the server drops
 * (a DATA packet as AUTHENTICATION_FAILED) or treats as a handshake packet.
 *
 * <p>Invariants: nothing escapes {@code handleDatagram}, {@link EndpointStats#internalErrors()} stays 0 on both
 * sides, the server never holds more reassembly bytes or connections than configured, and the honest transfers
 * still complete byte for byte. Kinds 2 and 3 carry the client's real keys (an attacker who had them could send
 * CLOSE or CANCEL), so with them the transfers must only end - completed or failed with a clear event - within
 * the time limit: never a hang. Kinds 0, 1 and 4 need no keys and must change nothing.
 *
 * <p>The keys come from the client's live {@link PacketCipher} through a package-private twin
 * ({@link PacketCipherTwins}), which seals with the same keys without moving the client's own epochs.
 */
class EndpointFuzzTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    static final InetSocketAddress OTHER = new InetSocketAddress("10.0.0.3", 40001);
    static final long MAX_REASSEMBLY_BYTES = 1L << 20;
    static final int MAX_CONNECTIONS = 4;
    /**
     * The test's sinks hold items in memory at their declared size, as an application's in-memory sink would, so
     * the server refuses larger items: with the engine's default a forged OPEN made MemorySink allocate its
     * declared gigabyte (found by this target; the input is kept as crash-859090d2...).
     */
    static final long MAX_ITEM_BYTES = 256 << 10;
    static final int MAX_RECORDS = 64;
    static final long LIMIT_NS = 120_000_000_000L;
    /** Short, so an input that silences the connection costs little simulated (and real) time. */
    static final long IDLE_TIMEOUT_NS = 3_000_000_000L;

    private static final byte[] BIG = payload(1, 12_000);
    private static final byte[] SMALL = payload(2, 700);
    private static final ByteBuffer FORGED = ByteBuffer.allocate(65_536);

    @FuzzTest(maxDuration = "10s")
    void aServerMidTransferSurvivesAnyDatagramsAndStillDelivers(byte[] input) throws Exception {
        run(input);
    }

    @Test
    void aCloseSealedWithTheLiveKeysReachesTheFrameParserAndEndsTheConnection() throws Exception {
        byte[] close = new byte[CloseFrame.encodedLength("forged")];
        CloseFrame.encode(ByteBuffer.wrap(close), 0, ErrorCode.OK, "forged");
        Outcome o = run(record(2, concat(new byte[] {0, 0, 0x40, 0}, close)));
        assertThat(o.forged).isTrue();
        assertThat(o.serverEvents).as("the server obeyed the authenticated CLOSE")
                .anySatisfy(e -> assertThat(e).isInstanceOf(ConnectionClosed.class));
        assertThat(o.server.stats().drops(DropReason.AUTHENTICATION_FAILED)).isZero();
    }

    @Test
    void aDataPacketSealedWithCrc32cIsDroppedAsAuthenticationFailedAndChangesNothing() throws Exception {
        byte[] close = new byte[CloseFrame.encodedLength("forged")];
        CloseFrame.encode(ByteBuffer.wrap(close), 0, ErrorCode.OK, "forged");
        Outcome o = run(record(4, concat(new byte[] {(byte) PacketType.DATA}, close)));
        assertThat(o.forged).isFalse(); // so run() also checked that both transfers completed byte for byte
        assertThat(o.server.stats().drops(DropReason.AUTHENTICATION_FAILED)).isGreaterThanOrEqualTo(1);
        assertThat(o.serverEvents).filteredOn(e -> e instanceof ConnectionClosed).isEmpty();
    }

    /** What one input did: the server, the client's events, whether it carried packets sealed with the keys. */
    record Outcome(Endpoint server, List<EndpointEvent> clientEvents, List<EndpointEvent> serverEvents,
                   boolean forged) {
    }

    private static byte[] record(int kind, byte[] bytes) {
        return concat(new byte[] {(byte) kind, (byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static Outcome run(byte[] input) throws Exception {
        List<byte[]> received = new ArrayList<>();
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(11)
                .maxConnections(MAX_CONNECTIONS).maxReassemblyBytes(MAX_REASSEMBLY_BYTES)
                .maxItemBytes(MAX_ITEM_BYTES).pathMtuDiscovery(false).idleTimeoutNs(IDLE_TIMEOUT_NS).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), received::add));
        // Path MTU probing off on both sides: 15x more executions per second, and its parser paths are the same.
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(12).pathMtuDiscovery(false)
                .idleTimeoutNs(IDLE_TIMEOUT_NS).build(),
                SinkFactory.refuseAll());
        LiveIdRecorder recordingClient = new LiveIdRecorder(client);
        MiniNet net = new MiniNet(13, 5_000_000L, 0);
        net.attach(SERVER, server);
        net.attach(CLIENT, recordingClient);
        long conn = client.connect(SERVER, 0);
        client.send(conn, request("big.bin", BIG), 0);
        client.send(conn, request("small.json", SMALL), 0);
        List<EndpointEvent> clientEvents = new ArrayList<>();
        List<EndpointEvent> serverEvents = new ArrayList<>(); // kept for the named tests; bounded by the run

        // Established, data flowing, neither transfer finished: the state the fuzzed datagrams meet.
        assertThat(net.runUntil(() -> recordingClient.liveId != 0 && server.stats().datagramsReceived() >= 6,
                LIMIT_NS)).as("the handshake and the first data").isTrue();

        PacketCipher liveKeys = (PacketCipher) ConnectionProtection.of(client.connection(conn));
        boolean forged = inject(input, net, recordingClient.liveId, liveKeys);
        assertInvariants(server, client);

        boolean ended = net.runUntil(() -> {
            drain(client, clientEvents);
            drain(server, serverEvents);
            return finished(clientEvents);
        }, LIMIT_NS);
        assertInvariants(server, client);
        assertThat(ended).as("the honest transfers end within %d s (forged=%s): %s; server %s; client %s",
                LIMIT_NS / 1_000_000_000L, forged, clientEvents, server.stats(), client.stats()).isTrue();
        if (!forged) {
            assertThat(clientEvents).as("events").filteredOn(e -> e instanceof TransferCompleted).hasSize(2);
            assertThat(received).as("delivered items").hasSize(2);
            assertThat(received).anySatisfy(b -> assertThat(b).isEqualTo(BIG));
            assertThat(received).anySatisfy(b -> assertThat(b).isEqualTo(SMALL));
        }
        drain(server, serverEvents);
        return new Outcome(server, clientEvents, serverEvents, forged);
    }

    /** Injects the input's datagrams into the server; returns whether any was sealed with the real keys (2, 3). */
    private static boolean inject(byte[] input, MiniNet net, long liveId, PacketCipher liveKeys) {
        boolean forged = false;
        int at = 0;
        for (int records = 0; records < MAX_RECORDS && at + 3 <= input.length; records++) {
            int kind = (input[at] & 0xFF) % 5;
            int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
            byte[] bytes = Arrays.copyOfRange(input, at + 3, at + 3 + length);
            at += 3 + length;
            switch (kind) {
                case 0 -> net.inject(CLIENT, SERVER, bytes);
                case 1 -> net.inject(OTHER, SERVER, bytes);
                case 2, 3 -> {
                    // 24 bits: epochs 0..3 at the default 2^22 packets per epoch, so the receiver's key update and
                    // its "too far ahead" drop are both reached without thousands of REKEYs per packet.
                    long packetNumber = bytes.length >= 4
                            ? ((long) (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF)) : 0;
                    byte[] frames = Arrays.copyOfRange(bytes, Math.min(4, bytes.length), bytes.length);
                    net.inject(kind == 2 ? CLIENT : OTHER, SERVER, sealWithKeys(PacketCipherTwins.sendingTwin(liveKeys),
                            liveId, packetNumber, frames));
                    forged = true;
                }
                default -> {
                    int type = bytes.length > 0 ? bytes[0] & 0xFF : PacketType.DATA;
                    byte[] body = Arrays.copyOfRange(bytes, Math.min(1, bytes.length), bytes.length);
                    net.inject(CLIENT, SERVER, seal(type, (type & 1) == 1 ? 0 : liveId, 0, body));
                }
            }
        }
        return forged;
    }

    /** A DATA packet to {@code connectionId} around {@code frames}, sealed with the live connection's keys. */
    private static byte[] sealWithKeys(PacketCipher keys, long connectionId, long packetNumber, byte[] frames) {
        FORGED.clear();
        int length = Math.min(frames.length, FORGED.capacity() - PacketHeader.LENGTH - PacketCipher.TAG_BYTES);
        int end = PacketHeader.write(FORGED, 0, PacketType.DATA, connectionId, packetNumber);
        FORGED.put(end, frames, 0, length);
        end = keys.seal(FORGED, 0, end + length);
        return Arrays.copyOf(FORGED.array(), end);
    }

    /** A packet with a valid header and a CRC32C tag around {@code body}: what anyone without the keys can send. */
    private static byte[] seal(int type, long connectionId, long packetNumber, byte[] body) {
        FORGED.clear();
        int length = Math.min(body.length, FORGED.capacity() - PacketHeader.LENGTH - Crc32cProtection.TAG_LENGTH);
        int end = PacketHeader.write(FORGED, 0, type, connectionId, packetNumber);
        FORGED.put(end, body, 0, length);
        end = new Crc32cProtection().seal(FORGED, 0, end + length);
        return Arrays.copyOf(FORGED.array(), end);
    }

    private static void assertInvariants(Endpoint server, Endpoint client) {
        assertThat(server.stats().internalErrors()).as("server internal errors: %s", server.stats()).isZero();
        assertThat(client.stats().internalErrors()).as("client internal errors: %s", client.stats()).isZero();
        assertThat(server.reassemblyBytesInUse()).as("server reassembly bytes").isBetween(0L, MAX_REASSEMBLY_BYTES);
        assertThat(server.connectionCount()).as("server connections").isBetween(0, MAX_CONNECTIONS);
    }

    private static boolean finished(List<EndpointEvent> events) {
        int ended = 0;
        for (EndpointEvent e : events) {
            if (e instanceof ConnectionClosed) {
                return true;
            }
            if (e instanceof TransferCompleted || e instanceof TransferFailed) {
                ended++;
            }
        }
        return ended >= 2;
    }

    private static void drain(Endpoint endpoint, List<EndpointEvent> into) {
        for (EndpointEvent e = endpoint.pollEvent(); e != null; e = endpoint.pollEvent()) {
            into.add(e);
        }
    }

    private static TransferRequest request(String name, byte[] bytes) throws Exception {
        return new TransferRequest(new TransferInfo(TransferKind.FILE, name, "application/octet-stream",
                bytes.length, EndpointTransferTest.sha256(bytes)), new ByteArraySource(bytes));
    }

    private static byte[] payload(long seed, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Passes everything through and remembers the destination id of the client's DATA packets. */
    private static final class LiveIdRecorder implements SansIoEndpoint {
        private final SansIoEndpoint inner;
        private final PacketHeader header = new PacketHeader();
        long liveId;

        LiveIdRecorder(SansIoEndpoint inner) {
            this.inner = inner;
        }

        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
            inner.handleDatagram(from, datagram, nowNs);
        }

        @Override
        public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
            InetSocketAddress to = inner.pollTransmit(dst, nowNs);
            if (to != null && PacketHeader.check(dst, dst.position(), dst.limit()) > 0) {
                header.wrap(dst, dst.position());
                if (header.type() == PacketType.DATA) {
                    liveId = header.connectionId();
                }
            }
            return to;
        }

        @Override
        public long nextDeadlineNs() {
            return inner.nextDeadlineNs();
        }

        @Override
        public void handleTimeout(long nowNs) {
            inner.handleTimeout(nowNs);
        }

        @Override
        public EndpointEvent pollEvent() {
            return inner.pollEvent();
        }
    }
}
