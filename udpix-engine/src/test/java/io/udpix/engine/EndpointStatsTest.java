package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.metrics.CountersSnapshot;
import io.udpix.wire.CloseFrame;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The counters registry behind {@link EndpointStats}: drops by reason match the hostile datagrams sent, exactly;
 * connection figures appear while a connection lives and their slots are reused once it ends.
 */
class EndpointStatsTest {
    private static final int FORGED = 137;

    @Test
    void nForgedDataPacketsForALiveConnectionAreExactlyNAuthenticationFailedDrops() throws Exception {
        SecureTransportTest.Run r = new SecureTransportTest.Run(21, 200_000, EndpointConfig.builder(),
                EndpointConfig.builder());
        r.send("a.bin");
        boolean[] injected = {false};
        assertThat(r.runToOutcome(run -> {
            MiniNet.Seen data = injected[0] ? null : run.first(SecureTransportTest.CLIENT, PacketType.DATA);
            if (data != null) {
                ByteBuffer frame = ByteBuffer.allocate(64);
                int n = CloseFrame.encode(frame, 0, ErrorCode.OK, "");
                byte[] frames = new byte[n];
                frame.get(0, frames);
                for (long pn = 0; pn < FORGED; pn++) {
                    ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH + frames.length + 16);
                    b.put(0, data.bytes(), 0, PacketHeader.LENGTH);
                    new PacketHeader().wrap(b, 0).packetNumber(1_000 + pn);
                    b.put(PacketHeader.LENGTH, frames);
                    run.net.inject(SecureTransportTest.CLIENT, SecureTransportTest.SERVER, b.array());
                }
                injected[0] = true;
            }
        })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        CountersSnapshot snap = r.server.stats().counters().snapshot();
        assertThat(EndpointStats.dropsByReason(snap).get(DropReason.AUTHENTICATION_FAILED)).as(r.context())
                .isEqualTo(FORGED);
        assertThat(EndpointStats.dropsByReason(snap)).isEqualTo(r.server.stats().dropsByReason());
        CountersSnapshot.Group endpoint = snap.groups("endpoint").get(0);
        assertThat(endpoint.value("udpix_endpoint_items_received_total")).isEqualTo(1);
        assertThat(endpoint.value("udpix_endpoint_item_received_bytes_total")).isEqualTo(200_000);
        assertThat(endpoint.value("udpix_endpoint_handshakes_total")).isEqualTo(1);
    }

    @Test
    void nDatagramsOfGarbageAreExactlyNMalformedDropsAndCountedAsReceived() {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(5).build(),
                io.udpix.engine.transfer.SinkFactory.refuseAll());
        SplittableRandom random = new SplittableRandom(5);
        long bytes = 0;
        for (int i = 0; i < FORGED; i++) {
            byte[] junk = new byte[1 + random.nextInt(1200)];
            random.nextBytes(junk);
            junk[0] = 0; // never our magic
            bytes += junk.length;
            server.handleDatagram(SecureTransportTest.CLIENT, ByteBuffer.wrap(junk), 1_000L * i);
        }
        CountersSnapshot snap = server.stats().counters().snapshot();
        assertThat(EndpointStats.dropsByReason(snap)).containsExactlyEntriesOf(
                java.util.Map.of(DropReason.MALFORMED, (long) FORGED));
        CountersSnapshot.Group endpoint = snap.groups("endpoint").get(0);
        assertThat(endpoint.value("udpix_endpoint_datagrams_received_total")).isEqualTo(FORGED);
        assertThat(endpoint.value("udpix_endpoint_received_bytes_total")).isEqualTo(bytes);
    }

    /**
     * 60 connections one after the other on endpoints sized for 2: each connection's group appears while it lives
     * and its slots are reused once the endpoint forgets it, so the registry never runs out.
     */
    @Test
    void connectionSlotsAreFreedWhenConnectionsEndSoTheRegistryStaysBounded() throws Exception {
        SecureTransportTest.Run r = new SecureTransportTest.Run(22, 2_000, EndpointConfig.builder()
                .maxConnections(2), EndpointConfig.builder().maxConnections(2));
        for (int i = 0; i < 60; i++) {
            r.connection = 0;
            r.send("item-" + i);
            assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
            CountersSnapshot live = r.client.stats().counters().snapshot();
            assertThat(live.groups(ConnectionStats.SCHEMA.kind())).as("connection %d live", i).hasSize(1);
            assertThat(live.groups(ConnectionStats.SCHEMA.kind()).get(0)
                    .value("udpix_connection_packets_sent_total")).isPositive();
            r.client.close(r.connection, ErrorCode.OK, "done", r.net.nowNs());
            assertThat(r.net.runUntil(() -> r.client.connectionCount() == 0 && r.server.connectionCount() == 0,
                    r.net.nowNs() + SecureTransportTest.LIMIT_NS)).as(r.context()).isTrue();
        }
        for (Endpoint e : new Endpoint[] {r.client, r.server}) {
            CountersSnapshot snap = e.stats().counters().snapshot();
            assertThat(snap.groups(ConnectionStats.SCHEMA.kind())).isEmpty();
            assertThat(snap.allocationFailures()).as("a connection found no free slots").isZero();
        }
        assertThat(r.received).hasSize(60);
    }
}
