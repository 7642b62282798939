package io.udpix.engine.connection;

/**
 * Counters of one connection. Written by the engine's thread; {@link Connection#snapshot()} gives a consistent
 * copy with the current RTT, window and rate for other threads.
 */
public final class ConnectionStats {
    long packetsSent;
    long packetsReceived;
    long packetsAcked;
    long packetsLost;
    long probeTimeouts;
    long persistentCongestionEvents;
    long bytesSent;
    long bytesReceived;
    long chunkBytesSent;
    long chunkBytesAcked;
    long chunkBytesRetransmitted;
    long chunkBytesLost;
    long chunkBytesDelivered;
    long duplicatePackets;
    long duplicateChunkBytes;
    long corruptDrops;
    long mtuProbesSent;
    long mtuProbesLost;

    ConnectionStats() {}

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
        return new Snapshot(connectionId, cc, srtt, minRtt, cwnd, pacing, inFlight, datagramBytes, packetsSent,
                packetsReceived, packetsAcked, packetsLost, probeTimeouts, persistentCongestionEvents, bytesSent,
                bytesReceived, chunkBytesSent, chunkBytesAcked, chunkBytesRetransmitted, chunkBytesLost,
                chunkBytesDelivered, duplicatePackets, duplicateChunkBytes, corruptDrops, mtuProbesSent,
                mtuProbesLost);
    }

    void countCorrupt() {
        corruptDrops++;
    }
}
