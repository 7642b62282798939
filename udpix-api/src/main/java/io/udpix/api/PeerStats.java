package io.udpix.api;

import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.metrics.CountersSnapshot;

/**
 * One connection's figures at one moment, read from its endpoint's counters registry without stopping the I/O
 * thread (each figure exact; the set not atomic).
 *
 * @param connectionId              the local connection ID
 * @param peer                      the peer's address (host:port)
 * @param role                      "client" or "server": which side of the handshake this end is
 * @param rttSmoothedNs             smoothed RTT (RFC 9002 section 5.3)
 * @param rttMinNs                  minimum RTT seen
 * @param rttVarNs                  RTT variation
 * @param deliveryRateBytesPerSecond the congestion controller's delivery rate estimate (0 if it keeps none)
 * @param pacingRateBytesPerSecond  pacing rate
 * @param congestionWindowBytes     congestion window
 * @param bytesInFlight             bytes sent and not yet acknowledged or declared lost
 * @param datagramBytes             largest datagram in use (path MTU)
 * @param packetsSent               packets sent
 * @param packetsReceived           packets received and authenticated
 * @param packetsLost               sent packets declared lost (RFC 9002 section 6.1)
 * @param retransmittedBytes        item bytes sent again
 * @param probeTimeouts             probe timeouts fired
 * @param bytesSent                 bytes of the packets sent
 * @param bytesReceived             bytes of the packets received
 * @param duplicatePackets          packets received a second time
 */
public record PeerStats(long connectionId, String peer, String role, long rttSmoothedNs, long rttMinNs,
        long rttVarNs, long deliveryRateBytesPerSecond, long pacingRateBytesPerSecond, long congestionWindowBytes,
        long bytesInFlight, int datagramBytes, long packetsSent, long packetsReceived, long packetsLost,
        long retransmittedBytes, long probeTimeouts, long bytesSent, long bytesReceived, long duplicatePackets) {

    /** Reads a group of {@link ConnectionStats#SCHEMA}. */
    static PeerStats of(CountersSnapshot.Group g) {
        return new PeerStats(Long.parseUnsignedLong(g.label("connection_id"), 16), g.label("peer"), g.label("role"),
                g.value("udpix_connection_rtt_smoothed_seconds"), g.value("udpix_connection_rtt_min_seconds"),
                g.value("udpix_connection_rtt_var_seconds"),
                g.value("udpix_connection_delivery_rate_bytes_per_second"),
                g.value("udpix_connection_pacing_rate_bytes_per_second"),
                g.value("udpix_connection_congestion_window_bytes"), g.value("udpix_connection_in_flight_bytes"),
                (int) g.value("udpix_connection_datagram_bytes"), g.value("udpix_connection_packets_sent_total"),
                g.value("udpix_connection_packets_received_total"), g.value("udpix_connection_packets_lost_total"),
                g.value("udpix_connection_chunk_retransmitted_bytes_total"),
                g.value("udpix_connection_probe_timeouts_total"), g.value("udpix_connection_sent_bytes_total"),
                g.value("udpix_connection_received_bytes_total"),
                g.value("udpix_connection_duplicate_packets_total"));
    }

    /** Lost packets over packets sent, in percent. */
    public double lossPercent() {
        return packetsSent == 0 ? 0 : 100.0 * packetsLost / packetsSent;
    }
}
