package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.recovery.SentPacketRing;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.TransferKind;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an idle established connection costs a server: the figure an attacker multiplies by the connection limit.
 * Measured as the heap a server endpoint holds for {@value #CONNECTIONS} idle connections (heap used after
 * {@code System.gc()} with the server, minus the same without it), divided by the connection count. The server's
 * fixed cost (reply buffers, maps) is included, which only makes the figure larger.
 */
class MemoryPerConnectionTest {
    static final int CONNECTIONS = 2_000;
    static final int CLIENTS = 20;
    /** The bound asserted; 1,024 connections then cost at most 16 MiB of heap. */
    static final long MAX_BYTES_PER_IDLE_CONNECTION = 16 * 1024;

    @Test
    void anIdleEstablishedConnectionCostsTheServerLessThan16KiB() throws Exception {
        InetSocketAddress serverAddress = new InetSocketAddress("10.0.0.1", 9000);
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).maxConnections(4 * CONNECTIONS)
                .build(), (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        net.attach(serverAddress, server);
        List<Endpoint> clients = new ArrayList<>();
        Endpoint[] s = {server}; // a reference the measurement can clear
        for (int i = 0; i < CLIENTS; i++) {
            Endpoint client = new Endpoint(EndpointConfig.builder().seed(100 + i).maxConnections(4 * CONNECTIONS)
                    .build(), SinkFactory.refuseAll());
            net.attach(new InetSocketAddress("10.0.1." + (i + 1), 5000), client);
            clients.add(client);
            // A batch per client: the server's stateless reply queue (64) is not what this test measures.
            for (int k = 0; k < CONNECTIONS / CLIENTS; k++) {
                client.connect(serverAddress, net.nowNs());
            }
            int expected = (i + 1) * (CONNECTIONS / CLIENTS);
            assertThat(net.runUntil(() -> s[0].connectionCount() == expected, net.nowNs() + 20_000_000_000L))
                    .as("connections: %s", s[0].stats()).isTrue();
        }
        // Idle: past a keep-alive round (a third of the idle timeout), nothing in flight.
        net.runUntil(() -> false, net.nowNs() + 12_000_000_000L);
        assertThat(server.connectionCount()).isEqualTo(CONNECTIONS);

        long withServer = heapUsedAfterGc();
        net.detach(serverAddress);
        server = null;
        s[0] = null;
        long withoutServer = heapUsedAfterGc();
        long perConnection = (withServer - withoutServer) / CONNECTIONS;
        System.out.println("server heap per idle established connection: " + perConnection + " bytes ("
                + CONNECTIONS + " connections, " + (withServer - withoutServer) + " bytes in all)");
        assertThat(clients).hasSize(CLIENTS); // keep the clients reachable through both measurements
        assertThat(perConnection).isLessThan(MAX_BYTES_PER_IDLE_CONNECTION);
    }

    @Test
    void theSentPacketRingGrowsDuringATransferAndShrinksOnceTheConnectionIsIdle() throws Exception {
        InetSocketAddress serverAddress = new InetSocketAddress("10.0.0.1", 9000);
        MiniNet net = new MiniNet(1, 20_000_000L, 0);
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(7).build(), SinkFactory.refuseAll());
        net.attach(serverAddress, server);
        net.attach(new InetSocketAddress("10.0.0.2", 5000), client);
        long conn = client.connect(serverAddress, 0);
        byte[] payload = new byte[20 << 20];
        client.send(conn, new TransferRequest(new TransferInfo(
                TransferKind.BYTES, "big.bin", "application/octet-stream", payload.length,
                EndpointTransferTest.sha256(payload)), new ByteArraySource(payload)), 0);
        int[] peakSlots = {0};
        boolean done = net.runUntil(() -> {
            peakSlots[0] = Math.max(peakSlots[0], client.sentPacketSlots(conn));
            EndpointEvent e;
            while ((e = client.pollEvent()) != null) {
                if (e instanceof TransferCompleted) {
                    return true;
                }
            }
            return false;
        }, 60_000_000_000L);
        assertThat(done).isTrue();
        assertThat(peakSlots[0]).as("grown under load").isGreaterThan(SentPacketRing.INITIAL_PACKETS);
        net.runUntil(() -> false, net.nowNs() + 12_000_000_000L); // past a keep-alive round: idle
        assertThat(client.sentPacketSlots(conn)).as("shrunk when idle")
                .isEqualTo(SentPacketRing.INITIAL_PACKETS);
        System.out.println("sent-packet ring: peak " + peakSlots[0] + " slots under a 20 MiB transfer, "
                + client.sentPacketSlots(conn) + " once idle");
    }

    private static long heapUsedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
