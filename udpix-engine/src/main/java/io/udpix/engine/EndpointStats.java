package io.udpix.engine;

import java.util.EnumMap;
import java.util.Map;

/** Endpoint-wide counters: datagrams in and out, and drops by reason. Read on the engine's thread. */
public final class EndpointStats {
    private final long[] drops = new long[DropReason.values().length];
    long datagramsReceived;
    long datagramsSent;
    long bytesReceived;
    long bytesSent;
    long connectionsAccepted;
    long retriesSent;
    long idleTimeouts;
    long handshakeTimeouts;
    long inFlightLimitHits;
    long stalledTransfers;

    long internalErrors;

    /** Counts one drop; called by the engine's parts. */
    public void count(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    /** Drops counted for {@code reason}. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** All drops, by reason (only non-zero ones). */
    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (drops[r.ordinal()] != 0) {
                m.put(r, drops[r.ordinal()]);
            }
        }
        return m;
    }

    /** Total drops of every reason. */
    public long totalDrops() {
        long t = 0;
        for (long d : drops) {
            t += d;
        }
        return t;
    }

    /** Datagrams handed to the endpoint. */
    public long datagramsReceived() { return datagramsReceived; }
    /** Datagrams the endpoint produced. */
    public long datagramsSent() { return datagramsSent; }
    /** Bytes handed to the endpoint. */
    public long bytesReceived() { return bytesReceived; }
    /** Bytes the endpoint produced. */
    public long bytesSent() { return bytesSent; }
    /** Unexpected exceptions caught inside the engine (a bug if not zero; the datagram was dropped). */
    public long internalErrors() { return internalErrors; }
    /** Connections closed because nothing was heard (or acknowledged) for the idle timeout. */
    public long idleTimeouts() { return idleTimeouts; }
    /** Client connections that got no answer within the handshake timeout. */
    public long handshakeTimeouts() { return handshakeTimeouts; }
    /** Times a connection had data to send but the bytes-in-flight limit (maxBytesInFlight) held it back. */
    public long inFlightLimitHits() { return inFlightLimitHits; }

    /** Counts a connection closed by the idle timeout. */
    public void countIdleTimeout() { idleTimeouts++; }
    /** Counts a handshake that timed out. */
    public void countHandshakeTimeout() { handshakeTimeouts++; }
    /** Incoming transfers failed with STALLED: no new byte for the stall timeout. */
    public long stalledTransfers() { return stalledTransfers; }
    /** Counts an incoming transfer failed by the stall timeout. */
    public void countStalledTransfer() { stalledTransfers++; }
    /** Counts the bytes-in-flight limit holding back a packet. */
    public void countInFlightLimitHit() { inFlightLimitHits++; }

    /** Connections accepted after a valid cookie. */
    public long connectionsAccepted() { return connectionsAccepted; }
    /** RETRY packets sent. */
    public long retriesSent() { return retriesSent; }

    @Override
    public String toString() {
        return "EndpointStats{in=" + datagramsReceived + " out=" + datagramsSent + " accepted=" + connectionsAccepted
                + " idleTimeouts=" + idleTimeouts + " handshakeTimeouts=" + handshakeTimeouts + " inFlightLimitHits="
                + inFlightLimitHits + " stalled=" + stalledTransfers + " drops=" + dropsByReason() + "}";
    }
}
