package io.udpix.engine;

import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.metrics.CounterGroup;
import io.udpix.engine.metrics.CounterSchema;
import io.udpix.engine.metrics.Counters;
import io.udpix.engine.metrics.CountersSnapshot;
import io.udpix.engine.metrics.Metric;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Endpoint-wide counters (datagrams in and out, drops by reason, handshakes, items) and the {@link Counters}
 * registry that holds them and every connection's: the one source each surface (API snapshots, the CLI's stats
 * lines, a later exporter) reads. Written on the engine's thread; other threads read {@link #counters()}
 * snapshots. The methods here read on the engine's thread.
 */
public final class EndpointStats {
    /** Slots kept beyond the endpoint's and its connections' groups, for groups added later (driver, streams). */
    static final int SPARE_SLOTS = 256;

    private static final int DATAGRAMS_RECEIVED = 0;
    private static final int DATAGRAMS_SENT = 1;
    private static final int BYTES_RECEIVED = 2;
    private static final int BYTES_SENT = 3;
    private static final int CONNECTIONS_ACCEPTED = 4;
    private static final int RETRIES_SENT = 5;
    private static final int IDLE_TIMEOUTS = 6;
    private static final int HANDSHAKE_TIMEOUTS = 7;
    private static final int IN_FLIGHT_LIMIT_HITS = 8;
    private static final int STALLED_TRANSFERS = 9;
    private static final int INTERNAL_ERRORS = 10;
    private static final int ITEMS_RECEIVED = 11;
    private static final int ITEM_BYTES_RECEIVED = 12;
    private static final int ITEMS_SENT = 13;
    private static final int ITEM_BYTES_SENT = 14;
    private static final int ITEMS_FAILED = 15;

    /** The endpoint's own group. */
    public static final CounterSchema SCHEMA = new CounterSchema("endpoint", List.of(), List.of(
            Metric.counter("udpix_endpoint_datagrams_received_total", "Datagrams handed to the engine"),
            Metric.counter("udpix_endpoint_datagrams_sent_total", "Datagrams the engine produced"),
            Metric.counter("udpix_endpoint_received_bytes_total", "Bytes of the datagrams received"),
            Metric.counter("udpix_endpoint_sent_bytes_total", "Bytes of the datagrams sent"),
            Metric.counter("udpix_endpoint_handshakes_total", "Connections accepted after a valid cookie"),
            Metric.counter("udpix_endpoint_retries_sent_total", "RETRY packets sent (address validation)"),
            Metric.counter("udpix_endpoint_idle_timeouts_total", "Connections closed by the idle timeout"),
            Metric.counter("udpix_endpoint_handshake_timeouts_total", "Client handshakes that got no answer"),
            Metric.counter("udpix_endpoint_in_flight_limit_hits_total", "Packets held back by maxBytesInFlight"),
            Metric.counter("udpix_endpoint_stalled_transfers_total", "Incoming transfers failed with STALLED"),
            Metric.counter("udpix_endpoint_internal_errors_total", "Exceptions caught in the engine (a bug)"),
            Metric.counter("udpix_endpoint_items_received_total", "Incoming items completed"),
            Metric.counter("udpix_endpoint_item_received_bytes_total", "Bytes of the incoming items completed"),
            Metric.counter("udpix_endpoint_items_sent_total", "Outgoing items confirmed by the peer"),
            Metric.counter("udpix_endpoint_item_sent_bytes_total", "Bytes of the outgoing items confirmed"),
            Metric.counter("udpix_endpoint_items_failed_total", "Items that failed, either way")));

    /** One group per {@link DropReason}, label {@code reason} (lower case), so an exporter shows one family. */
    public static final CounterSchema DROP_SCHEMA = new CounterSchema("drop", List.of("reason"), List.of(
            Metric.counter("udpix_endpoint_dropped_datagrams_total",
                    "Datagrams (or frames in them) dropped, by reason")));

    private final Counters counters;
    private final CounterGroup group;
    private final CounterGroup[] drops = new CounterGroup[DropReason.values().length];

    /** Counters for an endpoint of at most {@code maxConnections} connections at once. */
    public EndpointStats(int maxConnections) {
        long slots = SCHEMA.size() + DROP_SCHEMA.size() * (long) drops.length
                + (long) ConnectionStats.SCHEMA.size() * maxConnections + SPARE_SLOTS;
        this.counters = new Counters((int) Math.min(Integer.MAX_VALUE - Counters.PAGE_SLOTS, slots));
        this.group = counters.allocate(SCHEMA);
        for (DropReason r : DropReason.values()) {
            drops[r.ordinal()] = counters.allocate(DROP_SCHEMA, r.name().toLowerCase(Locale.ROOT));
        }
    }

    /** The registry of this endpoint and its connections: snapshot it from any thread. */
    public Counters counters() {
        return counters;
    }

    /** Counts one drop; called by the engine's parts. */
    public void count(DropReason reason) {
        drops[reason.ordinal()].increment(0);
    }

    /** Drops counted for {@code reason}. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()].read(0);
    }

    /** All drops, by reason (only non-zero ones). */
    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long d = drops(r);
            if (d != 0) {
                m.put(r, d);
            }
        }
        return m;
    }

    /** Drops by reason (only non-zero ones) read from a registry snapshot; any thread. */
    public static Map<DropReason, Long> dropsByReason(CountersSnapshot snapshot) {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (CountersSnapshot.Group g : snapshot.groups(DROP_SCHEMA.kind())) {
            if (g.value(0) != 0) {
                m.put(DropReason.valueOf(g.label("reason").toUpperCase(Locale.ROOT)), g.value(0));
            }
        }
        return m;
    }

    /** Total drops of every reason. */
    public long totalDrops() {
        long t = 0;
        for (DropReason r : DropReason.values()) {
            t += drops(r);
        }
        return t;
    }

    /** Datagrams handed to the endpoint. */
    public long datagramsReceived() { return group.read(DATAGRAMS_RECEIVED); }
    /** Datagrams the endpoint produced. */
    public long datagramsSent() { return group.read(DATAGRAMS_SENT); }
    /** Bytes handed to the endpoint. */
    public long bytesReceived() { return group.read(BYTES_RECEIVED); }
    /** Bytes the endpoint produced. */
    public long bytesSent() { return group.read(BYTES_SENT); }
    /** Unexpected exceptions caught inside the engine (a bug if not zero; the datagram was dropped). */
    public long internalErrors() { return group.read(INTERNAL_ERRORS); }
    /** Connections closed because nothing was heard (or acknowledged) for the idle timeout. */
    public long idleTimeouts() { return group.read(IDLE_TIMEOUTS); }
    /** Client connections that got no answer within the handshake timeout. */
    public long handshakeTimeouts() { return group.read(HANDSHAKE_TIMEOUTS); }
    /** Times a connection had data to send but the bytes-in-flight limit (maxBytesInFlight) held it back. */
    public long inFlightLimitHits() { return group.read(IN_FLIGHT_LIMIT_HITS); }
    /** Incoming transfers failed with STALLED: no new byte for the stall timeout. */
    public long stalledTransfers() { return group.read(STALLED_TRANSFERS); }
    /** Connections accepted after a valid cookie. */
    public long connectionsAccepted() { return group.read(CONNECTIONS_ACCEPTED); }
    /** RETRY packets sent. */
    public long retriesSent() { return group.read(RETRIES_SENT); }
    /** Incoming items completed. */
    public long itemsReceived() { return group.read(ITEMS_RECEIVED); }
    /** Outgoing items the peer confirmed. */
    public long itemsSent() { return group.read(ITEMS_SENT); }
    /** Items that failed, in either direction. */
    public long itemsFailed() { return group.read(ITEMS_FAILED); }

    /** Counts a connection closed by the idle timeout. */
    public void countIdleTimeout() { group.increment(IDLE_TIMEOUTS); }
    /** Counts a handshake that timed out. */
    public void countHandshakeTimeout() { group.increment(HANDSHAKE_TIMEOUTS); }
    /** Counts an incoming transfer failed by the stall timeout. */
    public void countStalledTransfer() { group.increment(STALLED_TRANSFERS); }
    /** Counts the bytes-in-flight limit holding back a packet. */
    public void countInFlightLimitHit() { group.increment(IN_FLIGHT_LIMIT_HITS); }
    void countInternalError() { group.increment(INTERNAL_ERRORS); }
    void countRetrySent() { group.increment(RETRIES_SENT); }
    void countConnectionAccepted() { group.increment(CONNECTIONS_ACCEPTED); }

    void countReceived(int lengthBytes) {
        group.increment(DATAGRAMS_RECEIVED);
        group.add(BYTES_RECEIVED, lengthBytes);
    }

    void countSent(int lengthBytes) {
        group.increment(DATAGRAMS_SENT);
        group.add(BYTES_SENT, lengthBytes);
    }

    /** Counts items as their essential events are queued (never dropped, so each is counted exactly once). */
    void countEvent(EndpointEvent event) {
        if (event instanceof TransferCompleted t) {
            group.increment(t.incoming() ? ITEMS_RECEIVED : ITEMS_SENT);
            group.add(t.incoming() ? ITEM_BYTES_RECEIVED : ITEM_BYTES_SENT, t.info().sizeBytes());
        } else if (event instanceof TransferFailed) {
            group.increment(ITEMS_FAILED);
        }
    }

    @Override
    public String toString() {
        return "EndpointStats{in=" + datagramsReceived() + " out=" + datagramsSent() + " accepted="
                + connectionsAccepted() + " idleTimeouts=" + idleTimeouts() + " handshakeTimeouts="
                + handshakeTimeouts() + " inFlightLimitHits=" + inFlightLimitHits() + " stalled=" + stalledTransfers()
                + " drops=" + dropsByReason() + "}";
    }
}
