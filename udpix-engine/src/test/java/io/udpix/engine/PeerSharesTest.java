package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One peer address gets a share of each global budget and never more: the others still get through. */
class PeerSharesTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress ATTACKER = new InetSocketAddress("10.0.0.66", 4000);
    static final InetSocketAddress INNOCENT = new InetSocketAddress("10.0.0.2", 5000);
    static final long GIB = 1L << 30;
    /** After this, the attacker's data packets are lost: it declared its items and sends nothing more. */
    static final long ATTACKER_GOES_SILENT_NS = 200_000_000L;

    /** A sink that streams (no direct placement), so a transfer holds a reassembly window like a file does. */
    private static final SinkFactory STREAMING = (id, peer, info) -> new TransferSink() {
        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public void complete(byte[] sha256) {
        }

        @Override
        public void abort(String reason) {
        }
    };

    private static TransferRequest json(String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return new TransferRequest(new TransferInfo(TransferKind.JSON, "m.json", "application/json", payload.length,
                EndpointTransferTest.sha256(payload)), new ByteArraySource(payload));
    }

    /** An item of {@code size} zero bytes that is never meant to complete (its hash is not the content's). */
    private static TransferRequest huge(long size) {
        return new TransferRequest(new TransferInfo(TransferKind.BYTES, "huge.bin", "application/octet-stream", size,
                new byte[32]), (offset, dst) -> {
                    int n = dst.remaining();
                    dst.position(dst.limit());
                    return n;
                });
    }

    private static List<EndpointEvent> drain(Endpoint e, List<EndpointEvent> into) {
        EndpointEvent ev;
        while ((ev = e.pollEvent()) != null) {
            into.add(ev);
        }
        return into;
    }

    /** Loses the attacker's data-carrying datagrams once it has announced its items; its ACKs and PINGs pass. */
    private static void silenceAttackerAfterItsOpens(MiniNet net) {
        net.dropIf((from, bytes) -> from.equals(ATTACKER) && bytes.length > 200
                && net.nowNs() > ATTACKER_GOES_SILENT_NS);
    }

    @Test
    void oneAddressCannotTakeEveryConnectionSlotWhileAnotherAddressStillConnects() throws Exception {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).maxConnections(8).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        assertThat(server.config().maxConnectionsPerAddress).isEqualTo(4);
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        net.attach(SERVER, server);
        Endpoint attacker = new Endpoint(EndpointConfig.builder().seed(66).build(), SinkFactory.refuseAll());
        net.attach(ATTACKER, attacker);
        for (int i = 0; i < 8; i++) {
            attacker.connect(SERVER, 0);
        }
        net.runUntil(() -> false, 3_000_000_000L);
        assertThat(server.peerShares().connections(ATTACKER)).isEqualTo(4);
        assertThat(server.stats().drops(DropReason.PEER_CONNECTION_SHARE)).isGreaterThan(0);

        Endpoint innocent = new Endpoint(EndpointConfig.builder().seed(2).build(), SinkFactory.refuseAll());
        net.attach(INNOCENT, innocent);
        innocent.send(innocent.connect(SERVER, net.nowNs()), json("{}"), net.nowNs());
        List<EndpointEvent> events = new ArrayList<>();
        boolean done = net.runUntil(() -> drain(innocent, events).stream()
                .anyMatch(e -> e instanceof TransferCompleted || e instanceof TransferFailed),
                net.nowNs() + 5_000_000_000L);
        assertThat(done).isTrue();
        assertThat(events).anyMatch(e -> e instanceof TransferCompleted);
    }

    @Test
    void aPeerDeclaringEightHugeTransfersAndSendingNothingCannotBlockAnotherPeersJson() throws Exception {
        // A tight budget, so that without the share the attacker's rings would take all of it.
        long budget = 1 << 20;
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).maxReassemblyBytes(budget)
                .build(), STREAMING);
        long share = server.config().maxReassemblyBytesPerAddress;
        assertThat(share).isEqualTo(budget / 4);
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        net.attach(SERVER, server);
        Endpoint attacker = new Endpoint(EndpointConfig.builder().seed(66).build(), SinkFactory.refuseAll());
        net.attach(ATTACKER, attacker);
        silenceAttackerAfterItsOpens(net);
        long conn = attacker.connect(SERVER, 0);
        for (int i = 0; i < 8; i++) {
            attacker.send(conn, huge(GIB), 0);
        }
        net.runUntil(() -> false, 1_000_000_000L);
        assertThat(server.peerShares().reassemblyBytes(ATTACKER)).isPositive().isLessThanOrEqualTo(share);
        assertThat(server.reassemblyBytesInUse()).isLessThanOrEqualTo(share);
        assertThat(server.stats().drops(DropReason.PEER_REASSEMBLY_SHARE)).isGreaterThan(0);
        List<EndpointEvent> attackerEvents = drain(attacker, new ArrayList<>());
        assertThat(attackerEvents).anyMatch(e -> e instanceof TransferFailed f
                && f.errorCode() == ErrorCode.SERVER_BUSY && f.reason().contains("maxReassemblyBytesPerAddress"));

        Endpoint innocent = new Endpoint(EndpointConfig.builder().seed(2).build(), SinkFactory.refuseAll());
        net.attach(INNOCENT, innocent);
        innocent.send(innocent.connect(SERVER, net.nowNs()), json("{}\n"), net.nowNs());
        List<EndpointEvent> events = new ArrayList<>();
        boolean done = net.runUntil(() -> drain(innocent, events).stream()
                .anyMatch(e -> e instanceof TransferCompleted || e instanceof TransferFailed),
                net.nowNs() + 5_000_000_000L);
        assertThat(done).isTrue();
        assertThat(events).as("events: %s", events).anyMatch(e -> e instanceof TransferCompleted);
    }

    @Test
    void aStalledTransferFailsWithStalledAndGivesItsBudgetBack() throws Exception {
        long stallNs = 2_000_000_000L;
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).stallTimeoutNs(stallNs)
                .build(), STREAMING);
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        net.attach(SERVER, server);
        Endpoint attacker = new Endpoint(EndpointConfig.builder().seed(66).build(), SinkFactory.refuseAll());
        net.attach(ATTACKER, attacker);
        silenceAttackerAfterItsOpens(net);
        attacker.send(attacker.connect(SERVER, 0), huge(GIB), 0);
        net.runUntil(() -> false, 1_000_000_000L);
        assertThat(server.reassemblyBytesInUse()).isPositive();

        List<EndpointEvent> events = new ArrayList<>();
        boolean failed = net.runUntil(() -> drain(attacker, events).stream().anyMatch(e -> e instanceof TransferFailed),
                10_000_000_000L);
        assertThat(failed).isTrue();
        TransferFailed f = (TransferFailed) events.stream().filter(e -> e instanceof TransferFailed).findFirst()
                .orElseThrow();
        assertThat(f.errorCode()).isEqualTo(ErrorCode.STALLED);
        assertThat(f.reason()).contains("no new data").contains("2000 ms").contains("stallTimeoutNs");
        assertThat(net.nowNs()).isLessThan(ATTACKER_GOES_SILENT_NS + stallNs + 500_000_000L);
        assertThat(server.stats().stalledTransfers()).isEqualTo(1);
        assertThat(server.reassemblyBytesInUse()).isZero();
        assertThat(server.peerShares().reassemblyBytes(ATTACKER)).isZero();
        assertThat(server.peerShares().incomingTransfers(ATTACKER)).isZero();
    }

    @Test
    void anAddressCannotOpenMoreTransfersThanItsShareAcrossItsConnections() throws Exception {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true)
                .maxIncomingTransfersPerAddress(3).build(), STREAMING);
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        net.attach(SERVER, server);
        Endpoint attacker = new Endpoint(EndpointConfig.builder().seed(66).build(), SinkFactory.refuseAll());
        net.attach(ATTACKER, attacker);
        silenceAttackerAfterItsOpens(net);
        for (int c = 0; c < 2; c++) {
            long conn = attacker.connect(SERVER, 0);
            for (int i = 0; i < 2; i++) {
                attacker.send(conn, huge(GIB), 0);
            }
        }
        List<EndpointEvent> events = new ArrayList<>();
        net.runUntil(() -> drain(attacker, events).stream().anyMatch(e -> e instanceof TransferFailed),
                1_000_000_000L);
        assertThat(server.peerShares().incomingTransfers(ATTACKER)).isEqualTo(3);
        assertThat(server.stats().drops(DropReason.PEER_TRANSFER_SHARE)).isEqualTo(1);
        assertThat(events).anyMatch(e -> e instanceof TransferFailed f
                && f.errorCode() == ErrorCode.TOO_MANY_TRANSFERS
                && f.reason().contains("maxIncomingTransfersPerAddress"));
    }

    @Test
    void anAddressIsForgottenOnceItHoldsNothingSoTheMapStaysBounded() {
        PeerShares shares = new PeerShares(EndpointConfig.builder().maxConnections(64).build());
        assertThat(shares.tryAcquireConnection(ATTACKER)).isTrue();
        assertThat(shares.tryReserveBytes(ATTACKER, 1000)).isTrue();
        assertThat(shares.tryOpenTransfer(new InetSocketAddress(ATTACKER.getAddress(), 1))).isTrue();
        assertThat(shares.addressCount()).as("ports do not count: one address").isEqualTo(1);
        shares.releaseConnection(ATTACKER);
        shares.releaseBytes(ATTACKER, 1000);
        assertThat(shares.addressCount()).isEqualTo(1);
        shares.closeTransfer(ATTACKER);
        assertThat(shares.addressCount()).isZero();
        assertThat(shares.tryReserveBytes(ATTACKER, Long.MAX_VALUE)).isFalse();
        assertThat(shares.addressCount()).as("a refusal leaves nothing behind").isZero();
    }

    @Test
    void theSharesDefaultToAFractionOfTheGlobalLimitsAndRejectZeroWithItsName() {
        EndpointConfig defaults = EndpointConfig.builder().build();
        assertThat(defaults.maxConnectionsPerAddress).isEqualTo(64);
        assertThat(defaults.maxReassemblyBytesPerAddress).isEqualTo(16L << 20);
        assertThat(defaults.maxIncomingTransfersPerAddress).isEqualTo(256);
        assertThat(defaults.stallTimeoutNs).isEqualTo(30_000_000_000L);
        assertThat(EndpointConfig.builder().maxConnections(2).build().maxConnectionsPerAddress).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EndpointConfig.builder().maxConnectionsPerAddress(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnectionsPerAddress");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EndpointConfig.builder().stallTimeoutNs(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stallTimeoutNs");
    }
}
