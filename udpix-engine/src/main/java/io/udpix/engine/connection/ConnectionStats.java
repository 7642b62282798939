package io.udpix.engine.connection;

import io.udpix.engine.metrics.CounterGroup;
import io.udpix.engine.metrics.CounterSchema;
import io.udpix.engine.metrics.Counters;
import io.udpix.engine.metrics.Metric;
import java.util.List;

/**
 * Counters and path gauges of one connection, held in the endpoint's {@link Counters} registry (slots allocated
 * when the connection starts and freed when the endpoint forgets it), so other threads read them from registry
 * snapshots without stopping the engine. Written by the engine's thread only; {@link Connection#snapshot()} gives
 * a consistent copy on that thread.
 */
public final class ConnectionStats {
    static final int PACKETS_SENT = 0;
    static final int PACKETS_RECEIVED = 1;
    static final int PACKETS_ACKED = 2;
    static final int PACKETS_LOST = 3;
    static final int PROBE_TIMEOUTS = 4;
    static final int PERSISTENT_CONGESTION = 5;
    static final int BYTES_SENT = 6;
    static final int BYTES_RECEIVED = 7;
    static final int CHUNK_BYTES_SENT = 8;
    static final int CHUNK_BYTES_ACKED = 9;
    static final int CHUNK_BYTES_RETRANSMITTED = 10;
    static final int CHUNK_BYTES_LOST = 11;
    static final int CHUNK_BYTES_DELIVERED = 12;
    static final int DUPLICATE_PACKETS = 13;
    static final int DUPLICATE_CHUNK_BYTES = 14;
    static final int CORRUPT_DROPS = 15;
    static final int MTU_PROBES_SENT = 16;
    static final int MTU_PROBES_LOST = 17;
    static final int RTT_SMOOTHED_NS = 18;
    static final int RTT_MIN_NS = 19;
    static final int RTT_VAR_NS = 20;
    static final int CONGESTION_WINDOW_BYTES = 21;
    static final int PACING_RATE = 22;
    static final int DELIVERY_RATE = 23;
    static final int BYTES_IN_FLIGHT = 24;
    static final int DATAGRAM_BYTES = 25;

    /** Label keys of a connection's group: its ID (hex), the peer's address, and "client" or "server". */
    public static final List<String> LABELS = List.of("connection_id", "peer", "role");

    /** What a connection's group holds, in slot order (the constants above index it). */
    public static final CounterSchema SCHEMA = new CounterSchema("connection", LABELS, List.of(
            Metric.counter("udpix_connection_packets_sent_total", "Packets sent, retransmissions included"),
            Metric.counter("udpix_connection_packets_received_total", "Packets received and authenticated"),
            Metric.counter("udpix_connection_packets_acked_total", "Sent packets acknowledged by the peer"),
            Metric.counter("udpix_connection_packets_lost_total", "Sent packets declared lost (RFC 9002 6.1)"),
            Metric.counter("udpix_connection_probe_timeouts_total", "Probe timeouts fired (RFC 9002 6.2)"),
            Metric.counter("udpix_connection_persistent_congestion_total",
                    "Persistent congestion declared (RFC 9002 7.6)"),
            Metric.counter("udpix_connection_sent_bytes_total", "Bytes of the packets sent"),
            Metric.counter("udpix_connection_received_bytes_total", "Bytes of the packets received"),
            Metric.counter("udpix_connection_chunk_sent_bytes_total", "Item bytes sent, retransmissions included"),
            Metric.counter("udpix_connection_chunk_acked_bytes_total", "Item bytes acknowledged"),
            Metric.counter("udpix_connection_chunk_retransmitted_bytes_total", "Item bytes sent again"),
            Metric.counter("udpix_connection_chunk_lost_bytes_total", "Item bytes in packets declared lost"),
            Metric.counter("udpix_connection_chunk_delivered_bytes_total", "Item bytes delivered in order to sinks"),
            Metric.counter("udpix_connection_duplicate_packets_total", "Packets received a second time"),
            Metric.counter("udpix_connection_duplicate_chunk_bytes_total", "Item bytes received a second time"),
            Metric.counter("udpix_connection_corrupt_packets_total", "Packets naming this connection that failed "
                    + "their integrity check"),
            Metric.counter("udpix_connection_mtu_probes_sent_total", "Path MTU probes sent (RFC 8899)"),
            Metric.counter("udpix_connection_mtu_probes_lost_total", "Path MTU probes lost (RFC 8899)"),
            Metric.gaugeNanosAsSeconds("udpix_connection_rtt_smoothed_seconds", "Smoothed RTT (RFC 9002 5.3)"),
            Metric.gaugeNanosAsSeconds("udpix_connection_rtt_min_seconds", "Minimum RTT seen (RFC 9002 5.2)"),
            Metric.gaugeNanosAsSeconds("udpix_connection_rtt_var_seconds", "RTT variation (RFC 9002 5.3)"),
            Metric.gauge("udpix_connection_congestion_window_bytes", "Congestion window"),
            Metric.gauge("udpix_connection_pacing_rate_bytes_per_second", "Pacing rate"),
            Metric.gauge("udpix_connection_delivery_rate_bytes_per_second",
                    "Delivery rate estimate of the congestion controller (0 if it keeps none)"),
            Metric.gauge("udpix_connection_in_flight_bytes", "Bytes sent and not yet acknowledged or lost"),
            Metric.gauge("udpix_connection_datagram_bytes", "Largest datagram in use (path MTU)")));

    private final CounterGroup group;

    ConnectionStats(Counters registry, long connectionId, String peer, boolean client) {
        this.group = registry.allocate(SCHEMA, Long.toHexString(connectionId), peer, client ? "client" : "server");
    }

    /** Adds {@code delta} to counter {@code metric}; engine thread. */
    void add(int metric, long delta) {
        group.add(metric, delta);
    }

    /** Adds one to counter {@code metric}; engine thread. */
    void inc(int metric) {
        group.add(metric, 1);
    }

    /** Counter or gauge {@code metric}; engine thread. */
    long get(int metric) {
        return group.read(metric);
    }

    /** Copies the path gauges into the registry (a few release stores); engine thread. */
    void publish(long srttNs, long minRttNs, long rttVarNs, long cwndBytes, long pacing, long delivery,
            long inFlightBytes, int datagramBytes) {
        group.set(RTT_SMOOTHED_NS, srttNs);
        group.set(RTT_MIN_NS, minRttNs);
        group.set(RTT_VAR_NS, rttVarNs);
        group.set(CONGESTION_WINDOW_BYTES, cwndBytes);
        group.set(PACING_RATE, pacing);
        group.set(DELIVERY_RATE, delivery);
        group.set(BYTES_IN_FLIGHT, inFlightBytes);
        group.set(DATAGRAM_BYTES, datagramBytes);
    }

    /** Gives the registry slots back (the values stay readable here); engine thread, once the connection ended. */
    void free() {
        group.free();
    }

    /** Whether this connection's figures are in the registry (false once freed or when the registry was full). */
    public boolean registered() {
        return group.registered();
    }

    /** Immutable copy of the counters plus path state. */
    public record Snapshot(long connectionId, String congestionController, long rttNsSmoothed, long minRttNs,
            long congestionWindowBytes, long pacingRateBytesPerSecond, long bytesInFlight, int datagramBytes,
            long packetsSent, long packetsReceived, long packetsAcked, long packetsLost, long probeTimeouts,
            long persistentCongestionEvents, long bytesSent, long bytesReceived, long chunkBytesSent,
            long chunkBytesAcked, long chunkBytesRetransmitted, long chunkBytesLost, long chunkBytesDelivered,
            long duplicatePackets, long duplicateChunkBytes, long corruptDrops, long mtuProbesSent,
            long mtuProbesLost) {}

    Snapshot snapshot(long connectionId, String cc, long srtt, long minRtt, long cwnd, long pacing, long inFlight,
            int datagramBytes) {
        return new Snapshot(connectionId, cc, srtt, minRtt, cwnd, pacing, inFlight, datagramBytes, get(PACKETS_SENT),
                get(PACKETS_RECEIVED), get(PACKETS_ACKED), get(PACKETS_LOST), get(PROBE_TIMEOUTS),
                get(PERSISTENT_CONGESTION), get(BYTES_SENT), get(BYTES_RECEIVED), get(CHUNK_BYTES_SENT),
                get(CHUNK_BYTES_ACKED), get(CHUNK_BYTES_RETRANSMITTED), get(CHUNK_BYTES_LOST),
                get(CHUNK_BYTES_DELIVERED), get(DUPLICATE_PACKETS), get(DUPLICATE_CHUNK_BYTES), get(CORRUPT_DROPS),
                get(MTU_PROBES_SENT), get(MTU_PROBES_LOST));
    }

    void countCorrupt() {
        inc(CORRUPT_DROPS);
    }
}
