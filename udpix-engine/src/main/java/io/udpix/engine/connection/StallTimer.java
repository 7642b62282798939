package io.udpix.engine.connection;

import io.udpix.wire.ErrorCode;
import java.util.ArrayList;

/**
 * The stall timeout of one connection's incoming transfers ({@code EndpointConfig.stallTimeoutNs}): a transfer that
 * got no new byte for that long fails with STALLED, so a peer that opens items and sends nothing cannot hold
 * reassembly memory and sinks for as long as it keeps the connection alive.
 *
 * <p>One deadline per connection, not a scan per datagram: the receive path only stores the time of a transfer's
 * latest new byte; when the deadline passes, {@link #fire} looks at the connection's transfers once, fails the
 * stalled ones and re-arms for the earliest remaining one.
 */
final class StallTimer {
    private long checkAtNs = Long.MAX_VALUE;

    /** When the connection's timer must call {@link #fire} (Long.MAX_VALUE: nothing to watch). */
    long deadlineNs() {
        return checkAtNs;
    }

    /** A transfer was opened at {@code nowNs}: make sure the timer fires by its stall deadline. */
    void arm(long nowNs, long stallTimeoutNs) {
        checkAtNs = Math.min(checkAtNs, nowNs + stallTimeoutNs);
    }

    /**
     * Fails every incoming transfer of {@code c} without a new byte for {@code stallTimeoutNs}. A sink that pushes
     * back is the receiver's own delay, not the peer's, and restarts the count.
     */
    void fire(Connection c, long nowNs, long stallTimeoutNs) {
        long next = Long.MAX_VALUE;
        for (IncomingTransfer t : new ArrayList<>(c.incoming.order)) {
            if (t.state != IncomingTransfer.State.RECEIVING) {
                continue;
            }
            if (t.sinkBlocked) {
                t.lastProgressNs = nowNs;
            }
            long deadlineNs = t.lastProgressNs + stallTimeoutNs;
            if (nowNs >= deadlineNs) {
                c.endpointStats.countStalledTransfer();
                t.fail(ErrorCode.STALLED, "no new data arrived for this item for " + stallTimeoutNs / 1_000_000
                        + " ms; the receiver gave up on it (its stallTimeoutNs)");
                c.incoming.finish(t, nowNs);
            } else {
                next = Math.min(next, deadlineNs);
            }
        }
        checkAtNs = next;
    }
}
