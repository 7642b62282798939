package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.DropReason;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link UdpixServer#stats()} and {@link UdpixClient#stats()} over loopback, read while the I/O threads run. */
class SocketStatsTest {
    private static final long WAIT_S = 30;

    @Test
    void bothEndsShowTheConnectionAndTheItemAndSnapshotsTakenDuringTheTransferNeverGoBack() throws Exception {
        long seed = TestSeeds.seed(31);
        byte[] payload = TestData.randomBytes(8_000_000, seed);
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            int port = server.localAddresses().get(0).getPort();
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(payload, "big.bin"));
            List<SocketStats> during = new ArrayList<>();
            while (!sent.isDone() && during.size() < 10_000) {
                during.add(client.stats());
            }
            sent.get(WAIT_S, TimeUnit.SECONDS);
            for (int i = 1; i < during.size(); i++) {
                SocketStats a = during.get(i - 1);
                SocketStats b = during.get(i);
                assertThat(b.datagramsSent()).as("seed=%d snapshot %d", seed, i)
                        .isGreaterThanOrEqualTo(a.datagramsSent());
                assertThat(b.bytesSent()).isGreaterThanOrEqualTo(a.bytesSent());
                assertThat(b.atNs()).isGreaterThanOrEqualTo(a.atNs());
            }

            SocketStats mine = client.stats();
            assertThat(mine.itemsSent()).isEqualTo(1);
            assertThat(mine.itemBytesSent()).isEqualTo(payload.length);
            assertThat(mine.connections()).hasSize(1);
            PeerStats peer = mine.connections().get(0);
            assertThat(peer.peer()).isEqualTo("127.0.0.1:" + port);
            assertThat(peer.role()).isEqualTo("client");
            assertThat(peer.rttSmoothedNs()).isPositive();
            assertThat(peer.rttMinNs()).isPositive().isLessThanOrEqualTo(peer.rttSmoothedNs() * 4);
            assertThat(peer.congestionWindowBytes()).isPositive();
            assertThat(peer.datagramBytes()).isPositive();
            assertThat(peer.packetsSent()).isGreaterThan(payload.length / 65_536);
            assertThat(peer.bytesSent()).isGreaterThan(payload.length);
            // The driver's figures come from the same registry: every datagram the engine produced went out.
            assertThat(mine.driver()).as("the client socket's driver figures").isNotNull();
            assertThat(mine.driver().datagramsSent() + mine.sendErrors()).isEqualTo(mine.datagramsSent());
            assertThat(mine.sendErrors()).isZero();

            ServerStats stats = server.stats();
            assertThat(stats.ports()).hasSize(1);
            SocketStats port0 = stats.ports().get(0);
            assertThat(port0.port()).isEqualTo(port);
            assertThat(port0.handshakes()).isEqualTo(1);
            assertThat(port0.itemsReceived()).isEqualTo(1);
            assertThat(port0.itemBytesReceived()).isEqualTo(payload.length);
            assertThat(stats.connectionsAccepted()).isEqualTo(1);
            assertThat(stats.connections()).singleElement().satisfies(c -> {
                assertThat(c.role()).isEqualTo("server");
                assertThat(c.peer()).isEqualTo("127.0.0.1:" + client.localAddress().getPort());
                assertThat(c.packetsReceived()).isPositive();
            });
        }
    }

    @Test
    void junkDatagramsShowAsMalformedDropsOfTheirPortAndClosedConnectionsLeaveTheSnapshot() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).port(0).onBytes(item -> { }).start()) {
            InetSocketAddress first = server.localAddresses().get(0);
            try (DatagramChannel raw = DatagramChannel.open()) {
                for (int i = 0; i < 25; i++) {
                    raw.send(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) i}), first);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (server.stats().ports().get(0).drops(DropReason.MALFORMED) < 25 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ServerStats stats = server.stats();
            assertThat(stats.ports()).hasSize(2);
            assertThat(stats.ports().get(0).drops()).containsExactlyEntriesOf(java.util.Map.of(DropReason.MALFORMED,
                    25L));
            assertThat(stats.ports().get(1).totalDrops()).isZero();
            assertThat(stats.drops(DropReason.MALFORMED)).isEqualTo(25);

            try (UdpixClient client = UdpixClient.connect(first)) {
                client.send(Item.bytes(new byte[100], "x"));
                assertThat(server.stats().connections()).hasSize(1);
            }
            while (!server.stats().connections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.stats().connections()).as("the closed connection's figures are freed").isEmpty();
            assertThat(server.stats().ports().get(0).itemsReceived()).isEqualTo(1);
        }
    }
    @Test
    void rawCountersNameEachSocketsPortAndHoldTheSameFiguresAsItsStats() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).port(0).onBytes(item -> { }).start()) {
            InetSocketAddress second = server.localAddresses().get(1);
            try (DatagramChannel raw = DatagramChannel.open()) {
                for (int i = 0; i < 7; i++) {
                    raw.send(ByteBuffer.wrap(new byte[] {9, 9, (byte) i}), second);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (server.stats().ports().get(1).totalDrops() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<PortCounters> counters = server.counters();
            ServerStats stats = server.stats();
            assertThat(counters).extracting(PortCounters::port)
                    .containsExactly(server.localAddresses().get(0).getPort(), second.getPort());
            for (int i = 0; i < 2; i++) {
                io.udpix.engine.metrics.CountersSnapshot.Group endpoint = counters.get(i).snapshot()
                        .groups("endpoint").get(0);
                assertThat(endpoint.value("udpix_endpoint_datagrams_received_total"))
                        .isEqualTo(stats.ports().get(i).datagramsReceived());
            }
            long drops = counters.get(1).snapshot().groups("drop").stream()
                    .mapToLong(g -> g.value("udpix_endpoint_dropped_datagrams_total")).sum();
            assertThat(drops).isEqualTo(7);
            try (UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
                client.send(Item.bytes(new byte[10], "x"));
                PortCounters mine = client.counters();
                assertThat(mine.port()).isEqualTo(client.localAddress().getPort());
                assertThat(mine.snapshot().groups("connection")).singleElement()
                        .satisfies(g -> assertThat(g.label("role")).isEqualTo("client"));
            }
        }
    }
}
