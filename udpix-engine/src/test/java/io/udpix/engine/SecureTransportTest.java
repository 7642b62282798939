package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.crypto.PeerKeyPolicy;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.CloseFrame;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.ResetPacket;
import io.udpix.wire.ResultFrame;
import io.udpix.wire.TransferKind;
import io.udpix.wire.VersionPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Protocol v2 against an attacker on the path (who sees every datagram and can inject any) and against wrong keys:
 * forged CLOSE and RESULT, replays, flipped bits, forged RESETs are dropped and counted and the item still arrives
 * exactly; key refusals reach the user as clear errors; a RESET from a restarted server ends a transfer at once.
 */
class SecureTransportTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    static final long LIMIT_NS = 120_000_000_000L;

    /** Two endpoints on a MiniNet with one item to send. */
    static final class Run {
        final long seed;
        final byte[] payload;
        final List<byte[]> received = new ArrayList<>();
        final List<EndpointEvent> clientEvents = new ArrayList<>();
        final MiniNet net;
        Endpoint server;
        final Endpoint client;
        long connection;

        Run(long seed, int size, EndpointConfig.Builder serverConfig, EndpointConfig.Builder clientConfig) {
            this.seed = seed;
            this.payload = new byte[size];
            new SplittableRandom(seed).nextBytes(payload);
            server = new Endpoint(serverConfig.acceptConnections(true).seed(seed).build(), sinks());
            client = new Endpoint(clientConfig.seed(seed + 1).build(), SinkFactory.refuseAll());
            net = new MiniNet(seed, 5_000_000L, 0);
            net.attach(SERVER, server);
            net.attach(CLIENT, client);
        }

        SinkFactory sinks() {
            return (id, peer, info) -> new MemorySink(info.sizeBytes(), received::add);
        }

        void send(String name) throws Exception {
            if (connection == 0) {
                connection = client.connect(SERVER, net.nowNs());
            }
            client.send(connection, new TransferRequest(new TransferInfo(TransferKind.FILE, name,
                    "application/octet-stream", payload.length,
                    MessageDigest.getInstance("SHA-256").digest(payload)), new ByteArraySource(payload)), net.nowNs());
        }

        /** Runs until the client reports an outcome; {@code each} runs at every step (the attacker's hook). */
        boolean runToOutcome(Consumer<Run> each) {
            int before = outcomes();
            return net.runUntil(() -> {
                each.accept(this);
                EndpointEvent e;
                while ((e = client.pollEvent()) != null) {
                    clientEvents.add(e);
                }
                while (server.pollEvent() != null) {
                    // drained
                }
                return outcomes() > before;
            }, net.nowNs() + LIMIT_NS);
        }

        int outcomes() {
            return (int) clientEvents.stream()
                    .filter(x -> x instanceof TransferCompleted || x instanceof TransferFailed).count();
        }

        TransferFailed failure() {
            return clientEvents.stream().filter(x -> x instanceof TransferFailed).map(x -> (TransferFailed) x)
                    .findFirst().orElse(null);
        }

        String context() {
            return "seed=" + seed + " events=" + clientEvents + " server=" + server.stats() + " client="
                    + client.stats();
        }

        void assertDeliveredExactly() {
            assertThat(clientEvents).as(context()).anyMatch(x -> x instanceof TransferCompleted);
            assertThat(received).as(context()).hasSize(1);
            assertThat(received.get(0)).isEqualTo(payload);
            assertThat(server.stats().internalErrors()).isZero();
            assertThat(client.stats().internalErrors()).isZero();
        }

        /** The first datagram seen from {@code from} of {@code type}, or null. */
        MiniNet.Seen first(InetSocketAddress from, int type) {
            for (MiniNet.Seen s : net.seen) {
                if (s.from().equals(from) && (s.bytes()[PacketHeader.TYPE_OFFSET] & 0xFF) == type) {
                    return s;
                }
            }
            return null;
        }
    }

    private static EndpointConfig.Builder config() {
        return EndpointConfig.builder();
    }

    /** A DATA packet with {@code header} copied from {@code observed}, a new packet number, frames, a fake tag. */
    private static byte[] forgedData(byte[] observed, long packetNumber, byte[] frames) {
        ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH + frames.length + 16);
        b.put(0, observed, 0, PacketHeader.LENGTH);
        new PacketHeader().wrap(b, 0).packetNumber(packetNumber);
        b.put(PacketHeader.LENGTH, frames);
        return b.array();
    }

    @Test
    void aForgedCloseFromAnObserverIsDroppedAndCountedAndTheItemStillArrives() throws Exception {
        Run r = new Run(11, 300_000, config(), config());
        r.send("a.bin");
        boolean[] injected = {false};
        assertThat(r.runToOutcome(run -> {
            MiniNet.Seen data = injected[0] ? null : run.first(CLIENT, PacketType.DATA);
            if (data != null) {
                ByteBuffer frame = ByteBuffer.allocate(64);
                int n = CloseFrame.encode(frame, 0, ErrorCode.OK, "");
                byte[] frames = new byte[n];
                frame.get(0, frames);
                for (long pn = 0; pn < 50; pn++) {
                    run.net.inject(CLIENT, SERVER, forgedData(data.bytes(), pn, frames));
                }
                injected[0] = true;
            }
        })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(r.server.stats().drops(DropReason.AUTHENTICATION_FAILED)).as(r.context()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aForgedResultOkToTheSenderIsDroppedAndTheSenderWaitsForTheRealOne() throws Exception {
        Run r = new Run(12, 300_000, config(), config());
        r.send("a.bin");
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(r.payload); // the observer learned it from the OPEN
        boolean[] injected = {false};
        assertThat(r.runToOutcome(run -> {
            MiniNet.Seen data = injected[0] ? null : run.first(SERVER, PacketType.DATA);
            if (data != null) {
                ByteBuffer frame = ByteBuffer.allocate(128);
                int n = ResultFrame.encode(frame, 0, 0, ErrorCode.OK, sha, "");
                byte[] frames = new byte[n];
                frame.get(0, frames);
                for (long pn = 0; pn < 50; pn++) {
                    run.net.inject(SERVER, CLIENT, forgedData(data.bytes(), pn, frames));
                }
                injected[0] = true;
            }
        })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(r.client.stats().drops(DropReason.AUTHENTICATION_FAILED)).as(r.context()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void replayedDatagramsAreDroppedAsReplaysAndTheItemArrivesOnce() throws Exception {
        Run r = new Run(13, 200_000, config(), config());
        r.send("a.bin");
        int[] replayed = {0};
        assertThat(r.runToOutcome(run -> {
            if (replayed[0] < 20) {
                for (MiniNet.Seen s : run.net.seen) {
                    if (s.from().equals(CLIENT) && (s.bytes()[PacketHeader.TYPE_OFFSET] & 0xFF) == PacketType.DATA
                            && s.atNs() < run.net.nowNs() - 20_000_000L && replayed[0] < 20) {
                        run.net.inject(CLIENT, SERVER, s.bytes().clone());
                        replayed[0]++;
                    }
                }
            }
        })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(replayed[0]).isEqualTo(20);
        assertThat(r.server.stats().drops(DropReason.REPLAY)).as(r.context()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aFlippedBitInAnyByteOfADataPacketIsDroppedAndCounted() throws Exception {
        Run r = new Run(14, 200_000, config(), config());
        r.send("a.bin");
        int[] flipped = {0};
        SplittableRandom random = new SplittableRandom(14);
        assertThat(r.runToOutcome(run -> {
            if (flipped[0] == 0) {
                MiniNet.Seen data = run.first(CLIENT, PacketType.DATA);
                if (data != null) {
                    for (int i = 0; i < data.bytes().length; i++) {
                        byte[] copy = data.bytes().clone();
                        copy[i] ^= (byte) (1 << random.nextInt(8));
                        run.net.inject(CLIENT, SERVER, copy);
                        flipped[0]++;
                    }
                }
            }
        })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        long bodyDrops = r.server.stats().drops(DropReason.AUTHENTICATION_FAILED);
        assertThat(bodyDrops).as(r.context()).isGreaterThanOrEqualTo(flipped[0] - PacketHeader.LENGTH);
    }

    @Test
    void aWrongServerKeyFailsWithServerKeyRejectedAndThePolicysSentence() throws Exception {
        String sentence = "the server's key is not the pinned one; run with --server-key NEWKEY to accept it";
        Run r = new Run(15, 1000, config(), config().serverKeyPolicy((peer, key) -> sentence));
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        TransferFailed f = r.failure();
        assertThat(f).as(r.context()).isNotNull();
        assertThat(f.errorCode()).isEqualTo(ErrorCode.SERVER_KEY_REJECTED);
        assertThat(f.reason()).isEqualTo(sentence);
        assertThat(r.received).isEmpty();
        assertThat(r.first(CLIENT, PacketType.FINISH)).as("no FINISH to a refused server").isNull();
    }

    @Test
    void theServerSeesTheClientsKeyAndAClientSeesTheServersKey() throws Exception {
        StaticKeyPair serverKey = StaticKeyPair.generate(new SecureRandom());
        StaticKeyPair clientKey = StaticKeyPair.generate(new SecureRandom());
        byte[][] seenByClient = new byte[1][];
        byte[][] seenByServer = new byte[1][];
        Run r = new Run(16, 1000, config().staticKey(serverKey).clientKeyPolicy((p, k) -> {
            seenByServer[0] = k.clone();
            return null;
        }), config().staticKey(clientKey).serverKeyPolicy((p, k) -> {
            seenByClient[0] = k.clone();
            return null;
        }));
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(seenByClient[0]).isEqualTo(serverKey.publicKey());
        assertThat(seenByServer[0]).isEqualTo(clientKey.publicKey());
        assertThat(r.client.peerStaticKey(r.connection)).isEqualTo(serverKey.publicKey());
    }

    @Test
    void aRefusedClientKeyReachesTheClientAsUnauthorizedWithTheReason() throws Exception {
        String sentence = "this client's key is not in the server's allow list";
        Run r = new Run(17, 1000, config().clientKeyPolicy((peer, key) -> sentence), config());
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        TransferFailed f = r.failure();
        assertThat(f).as(r.context()).isNotNull();
        assertThat(f.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(f.reason()).contains(sentence);
        assertThat(r.received).isEmpty();
        assertThat(r.net.nowNs()).as("refused at once, not after a timeout").isLessThan(2_000_000_000L);
    }

    @Test
    void anAddressRefusedByTheFilterGetsUnauthorizedAtOnce() throws Exception {
        Run r = new Run(18, 1000, config().addressFilter(a -> !a.equals(CLIENT.getAddress())), config());
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        assertThat(r.failure().errorCode()).as(r.context()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(r.server.stats().drops(DropReason.ADDRESS_REFUSED)).isEqualTo(1);
        assertThat(r.server.halfOpenCount()).isZero();
    }

    @Test
    void aResetFromARestartedServerWithTheSameKeyEndsTheTransferAtOnce() throws Exception {
        StaticKeyPair serverKey = StaticKeyPair.generate(new SecureRandom());
        Run r = new Run(19, 2000, config().staticKey(serverKey), config());
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        // The server restarts: same key, no memory of the connection.
        r.server = new Endpoint(config().acceptConnections(true).staticKey(serverKey).seed(99).build(), r.sinks());
        r.net.attach(SERVER, r.server);
        long before = r.net.nowNs();
        r.send("b.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        TransferFailed f = (TransferFailed) r.clientEvents.stream().filter(x -> x instanceof TransferFailed)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(f.reason()).as(r.context()).contains("restarted or forgot this connection");
        assertThat(r.net.nowNs() - before).as("at once, not after the 30 s idle timeout").isLessThan(2_000_000_000L);
        assertThat(r.clientEvents).anyMatch(x -> x instanceof ConnectionClosed c
                && c.errorCode() == ErrorCode.UNKNOWN_CONNECTION);
    }

    @Test
    void aForgedResetIsIgnoredAndTheItemArrives() throws Exception {
        Run r = new Run(20, 300_000, config(), config());
        r.send("a.bin");
        boolean[] injected = {false};
        assertThat(r.runToOutcome(run -> {
            MiniNet.Seen data = injected[0] ? null : run.first(CLIENT, PacketType.DATA);
            if (data != null) {
                long serverId = new PacketHeader().wrap(ByteBuffer.wrap(data.bytes()), 0).connectionId();
                ByteBuffer b = ByteBuffer.allocate(64);
                byte[] token = new byte[16];
                new SplittableRandom(20).nextBytes(token);
                int n = ResetPacket.encode(b, 0, serverId, ErrorCode.UNKNOWN_CONNECTION, token);
                n = new Crc32cProtection().seal(b, 0, n);
                byte[] bytes = new byte[n];
                b.get(0, bytes);
                run.net.inject(SERVER, CLIENT, bytes);
                injected[0] = true;
            }
        })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(r.client.stats().drops(DropReason.BAD_RESET_TOKEN)).isEqualTo(1);
    }

    @Test
    void keysUpdateAcrossManyEpochsWithoutSignallingAndTheItemArrivesExactly() throws Exception {
        Run r = new Run(21, 2_000_000, config().keyUpdateEpochBits(5).pathMtuDiscovery(false),
                config().keyUpdateEpochBits(5).pathMtuDiscovery(false));
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        long clientPackets = r.net.seen.stream().filter(s -> s.from().equals(CLIENT)).count();
        assertThat(clientPackets).as("several epochs of 32 packets").isGreaterThan(10 * 32);
    }

    @Test
    void dataBeforeFinishIsKeptAndReadOnceTheResentFinishCompletesTheHandshake() throws Exception {
        Run r = new Run(22, 100_000, config(), config());
        int[] finishes = {0};
        r.net.drop = s -> (s.bytes()[PacketHeader.TYPE_OFFSET] & 0xFF) == PacketType.FINISH && finishes[0]++ == 0;
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(finishes[0]).isGreaterThanOrEqualTo(2);
        // The first flight (within ServerHandshakes.MAX_EARLY_DATAGRAMS) waited for FINISH instead of being dropped.
        assertThat(r.server.stats().drops(DropReason.BEFORE_FINISH)).as(r.context()).isZero();
    }

    @Test
    void aVersionOneHelloGetsAVersionReplyListingVersionTwo() {
        Endpoint server = new Endpoint(config().acceptConnections(true).build(), SinkFactory.refuseAll());
        ByteBuffer b = ByteBuffer.allocate(1200);
        int end = HelloPacket.encode(b, 0, 42, 1200, 30_000, null, 0, 1196);
        b.put(PacketHeader.VERSION_OFFSET, (byte) 1);
        end = new Crc32cProtection().seal(b, 0, end);
        b.position(0).limit(end);
        server.handleDatagram(CLIENT, b, 0);
        ByteBuffer out = ByteBuffer.allocate(1500);
        assertThat(server.pollTransmit(out, 0)).isEqualTo(CLIENT);
        VersionPacket v = new VersionPacket().wrap(out, 0);
        assertThat(v.header().type()).isEqualTo(PacketType.VERSION);
        assertThat(v.header().connectionId()).isZero();
        assertThat(v.count()).isEqualTo(1);
        assertThat(v.supportedVersion(0)).isEqualTo(2);
        assertThat(server.stats().drops(DropReason.UNSUPPORTED_VERSION)).isEqualTo(1);
    }

    @Test
    void oneRoundTripConnectsWhenTheServerIsNotUnderLoad() throws Exception {
        Run r = new Run(23, 10, config(), config());
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(r.server.stats().retriesSent()).isZero();
        assertThat(r.first(SERVER, PacketType.RETRY)).isNull();
    }

    @Test
    void underHandshakeLoadTheServerAsksForACookieFirstAndStillConnects() throws Exception {
        Run r = new Run(24, 10, config().handshakesPerSecond(1).maxHalfOpen(4), config());
        // Use up the one token of the bucket with another client's handshake.
        Endpoint other = new Endpoint(config().seed(5).build(), SinkFactory.refuseAll());
        r.net.attach(new InetSocketAddress("10.0.0.3", 40000), other);
        other.connect(SERVER, 0);
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(r.server.stats().retriesSent()).as(r.context()).isPositive();
    }
}
