package io.udpix.api;

import io.udpix.api.stream.StreamStatus;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverStats;
import io.udpix.engine.DropReason;
import io.udpix.engine.EndpointStats;
import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.metrics.CountersSnapshot;
import java.util.List;
import java.util.Map;

/**
 * One socket's figures at one moment (a server port, or a client's socket): totals, drops by reason, every
 * connection and every frame stream. Counters come from the endpoint's registry, read without stopping the I/O
 * thread; stream figures are the engine's own snapshots.
 *
 * @param port                the local port
 * @param atNs                when it was taken ({@link System#nanoTime()})
 * @param datagramsReceived   datagrams handed to the engine
 * @param datagramsSent       datagrams the engine produced
 * @param bytesReceived       their bytes
 * @param bytesSent           their bytes
 * @param handshakes          connections accepted after a valid cookie (server side)
 * @param handshakeTimeouts   client handshakes that got no answer
 * @param retriesSent         RETRY packets sent (address validation under load)
 * @param itemsReceived       incoming items completed
 * @param itemBytesReceived   their bytes
 * @param itemsSent           outgoing items confirmed by the peer
 * @param itemBytesSent       their bytes
 * @param itemsFailed         items failed, either way
 * @param internalErrors      exceptions caught in the engine (a bug if not zero)
 * @param drops               drops by reason (only non-zero)
 * @param connections         every connection the engine holds
 * @param streams             every frame stream (peer, port, name, the engine's figures), with its frame rate
 * @param unregistered        connections since start whose figures found the registry full (missing above)
 * @param driver              the socket driver's figures from the same registry (datagrams the kernel took, send
 *                            errors, wake-ups...); null if no driver registered there
 */
public record SocketStats(int port, long atNs, long datagramsReceived, long datagramsSent, long bytesReceived,
        long bytesSent, long handshakes, long handshakeTimeouts, long retriesSent, long itemsReceived,
        long itemBytesReceived, long itemsSent, long itemBytesSent, long itemsFailed, long internalErrors,
        Map<DropReason, Long> drops, List<PeerStats> connections, List<StreamStatus> streams, long unregistered,
        DriverStats driver) {

    /** Copies the collections. */
    public SocketStats {
        drops = Map.copyOf(drops);
        connections = List.copyOf(connections);
        streams = List.copyOf(streams);
    }

    /** Reads {@code snap}, a snapshot of one endpoint's registry. */
    static SocketStats of(int port, long atNs, CountersSnapshot snap, List<StreamStatus> streams) {
        CountersSnapshot.Group e = snap.groups(EndpointStats.SCHEMA.kind()).get(0);
        List<PeerStats> peers = snap.groups(ConnectionStats.SCHEMA.kind()).stream().map(PeerStats::of).toList();
        return new SocketStats(port, atNs, e.value("udpix_endpoint_datagrams_received_total"),
                e.value("udpix_endpoint_datagrams_sent_total"), e.value("udpix_endpoint_received_bytes_total"),
                e.value("udpix_endpoint_sent_bytes_total"), e.value("udpix_endpoint_handshakes_total"),
                e.value("udpix_endpoint_handshake_timeouts_total"), e.value("udpix_endpoint_retries_sent_total"),
                e.value("udpix_endpoint_items_received_total"), e.value("udpix_endpoint_item_received_bytes_total"),
                e.value("udpix_endpoint_items_sent_total"), e.value("udpix_endpoint_item_sent_bytes_total"),
                e.value("udpix_endpoint_items_failed_total"), e.value("udpix_endpoint_internal_errors_total"),
                EndpointStats.dropsByReason(snap), peers, streams, snap.allocationFailures(),
                DriverMetrics.stats(snap));
    }

    /** Drops counted for {@code reason}. */
    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Datagrams the driver could not send (every cause; loss recovery resends their content); 0 if no driver. */
    public long sendErrors() {
        return driver == null ? 0 : driver.sendErrors();
    }

    /** Drops of every reason. */
    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
