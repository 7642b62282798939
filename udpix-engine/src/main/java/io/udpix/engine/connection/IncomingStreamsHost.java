package io.udpix.engine.connection;

import io.udpix.engine.DropReason;
import io.udpix.engine.event.EndpointEvent;
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
        if (c.recovery.rtt().hasSample()) {
            return c.recovery.rtt().minRttNs();
        }
        return c.handshakeRttNs > 0 ? c.handshakeRttNs : Long.MAX_VALUE;
    }

    @Override
    public void emit(EndpointEvent event, boolean essential) {
        c.events.emit(event, essential);
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
