package io.udpix.engine.connection;

import io.udpix.engine.DropReason;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.stream.IncomingStreams;
import io.udpix.engine.stream.StreamMemory;
import java.net.InetSocketAddress;

/**
 * What a connection lends its {@link IncomingStreams}: identity, RTT, events, drop counters, and the reassembly
 * memory (the endpoint's budget and the peer address's share, as incoming transfers use them, section 5.5).
 */
final class IncomingStreamsHost implements IncomingStreams.Host, StreamMemory {
    private final Connection c;

    IncomingStreamsHost(Connection c) {
        this.c = c;
    }

    @Override
    public long connectionId() {
        return c.localId;
    }

    @Override
    public InetSocketAddress peer() {
        return c.peer;
    }

    @Override
    public long minRttNs() {
        // Before any sample the estimator answers the 333 ms initial RTT (RFC 9002 section 6.2.2); subtracting half
        // of a guess would move every deadline 166 ms early. A server that only receives streams sends nothing
        // ack-eliciting and may never get a sample: it has the handshake's RTT instead (section 5.8.3), without
        // which every deadline would be one one-way delay late. Neither: "no sample".
        // The handshake's RTT includes the client's processing of ACCEPT (a cold JVM's first key work, a key file
        // written: hundreds of ms), so it is only a fallback: min over it and every sample since (RFC 9002 section
        // 5.2 takes min_rtt as the minimum over samples; here each less the ack delay the peer reported, see
        // RttEstimator.minPathRttNs), so the first fresh sample corrects the offset of every frame after it.
        long handshakeNs = c.handshakeRttNs > 0 ? c.handshakeRttNs : Long.MAX_VALUE;
        if (c.recovery.rtt().hasSample()) {
            return Math.min(c.recovery.rtt().minPathRttNs(), handshakeNs);
        }
        return handshakeNs;
    }

    @Override
    public void emit(EndpointEvent event, boolean essential) {
        if (event instanceof StreamOpened opened && opened.incoming()) {
            // A receiver may send nothing ack-eliciting for a while (only ACKs), so its min RTT would stay the
            // handshake's. A PING now is acknowledged by the sender while it streams (warm by then): a fresh sample
            // for the clock offset of the stream's frames (section 5.8.3).
            c.pingPending = true;
        }
        c.events.emit(event, essential);
    }

    @Override
    public io.udpix.engine.stream.StreamTrace streamTrace() {
        return c.trace.streams();
    }

    @Override
    public void countDrop(DropReason reason) {
        c.endpointStats.count(reason);
    }

    @Override
    public boolean tryReserve(long bytes) {
        if (!c.budget.tryReserve(bytes)) {
            c.endpointStats.count(DropReason.REASSEMBLY_LIMIT);
            return false;
        }
        if (!c.budget.shares().tryReserveBytes(c.peer, bytes)) {
            c.budget.release(bytes);
            c.endpointStats.count(DropReason.PEER_REASSEMBLY_SHARE);
            return false;
        }
        return true;
    }

    @Override
    public void release(long bytes) {
        c.budget.release(bytes);
        c.budget.shares().releaseBytes(c.peer, bytes);
    }
}
