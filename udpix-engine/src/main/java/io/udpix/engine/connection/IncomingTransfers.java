package io.udpix.engine.connection;

import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.event.TransferProgress;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.engine.util.RangeSet;
import io.udpix.engine.util.TransferMap;
import io.udpix.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The transfers a connection receives, and the reassembly memory they hold of the endpoint's budget and of the
 * peer address's share. Separate from {@link Connection} so that the budget accounting (every reservation taken
 * is given back exactly once) lives in one small class instead of among the connection's timers and handshake.
 */
final class IncomingTransfers {
    /** Tracked IDs of finished incoming transfers (ranges; IDs are sequential so this stays tiny). */
    static final int MAX_FINISHED_RANGES = 1024;
    /** Retry a sink that pushed back after this long. */
    static final long SINK_RETRY_NS = 1_000_000L;

    private final Connection c;
    private final TransferMap<IncomingTransfer> byId = new TransferMap<>();
    /** The same transfers as {@link #byId}, for index loops on the send path (an iterator per packet is garbage). */
    final List<IncomingTransfer> order = new ArrayList<>();
    /** IDs of transfers that ended, so a late OPEN or CHUNK for one is not taken for a new transfer. */
    final RangeSet finished = new RangeSet(MAX_FINISHED_RANGES);
    private long sinkRetryAtNs = Long.MAX_VALUE;

    IncomingTransfers(Connection c) {
        this.c = c;
    }

    /**
     * The table holds at most this many times the transfer limit: transfers in progress, and finished ones kept
     * until their RESULT is acknowledged (about a round trip).
     */
    static final int TABLE_FACTOR = 4;

    /** Transfers not finished (receiving, or committing): what the transfer limit counts. */
    int activeCount() {
        int n = 0;
        for (int i = 0, size = order.size(); i < size; i++) {
            if (order.get(i).state != IncomingTransfer.State.FINISHED) {
                n++;
            }
        }
        return n;
    }

    IncomingTransfer get(int transferId) {
        return byId.get(transferId);
    }

    boolean containsKey(int transferId) {
        return byId.containsKey(transferId);
    }

    int size() {
        return byId.size();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    void add(IncomingTransfer t) {
        byId.put(t.transferId, t);
        order.add(t);
    }

    void remove(int transferId) {
        IncomingTransfer t = byId.remove(transferId);
        if (t != null) {
            order.remove(t);
        }
    }

    /** Reserves {@code bytes} more for a growing reassembly ring: from the budget and from the peer's share. */
    boolean tryReserveRing(long bytes) {
        if (!c.budget.tryReserve(bytes)) {
            return false;
        }
        if (!c.budget.shares().tryReserveBytes(c.peer, bytes)) {
            c.budget.release(bytes);
            return false;
        }
        return true;
    }

    /** Gives back {@code bytes} of a reservation (budget and the peer's share) that is not needed after all. */
    void releaseShareBytes(long bytes) {
        c.budget.release(bytes);
        c.budget.shares().releaseBytes(c.peer, bytes);
    }

    /** Gives back a whole reservation taken in {@link PacketReader} for a transfer that was not created. */
    void releaseShares(long bytes) {
        releaseShareBytes(bytes);
        c.budget.shares().closeTransfer(c.peer);
    }

    /** Gives back what {@code t} holds of the budget and of its address's share; once. */
    private void releaseShares(IncomingTransfer t) {
        if (t.holdsShares) {
            t.holdsShares = false;
            releaseShares(t.reservedBytes());
        }
    }

    private boolean anySinkBlocked() {
        for (int i = 0, n = order.size(); i < n; i++) {
            if (order.get(i).sinkBlocked) {
                return true;
            }
        }
        return false;
    }

    /** When a sink that pushed back is next retried; {@code Long.MAX_VALUE} when none is blocked. */
    long sinkRetryDeadlineNs() {
        return anySinkBlocked() ? sinkRetryAtNs : Long.MAX_VALUE;
    }

    /** Offers blocked sinks their data again once {@link #sinkRetryDeadlineNs} has come. */
    void retryBlockedSinksIfDue(long nowNs) {
        if (anySinkBlocked() && nowNs >= sinkRetryAtNs) {
            for (IncomingTransfer t : new ArrayList<>(byId.values())) {
                if (t.sinkBlocked) {
                    deliver(t, nowNs);
                }
            }
        }
    }

    /** See {@link Connection#completeCommit}. */
    boolean completeCommit(TransferSink sink, int code, String reason, long nowNs) {
        for (int i = 0, n = order.size(); i < n; i++) {
            IncomingTransfer t = order.get(i);
            if (t.hasSink(sink)) {
                if (t.onCommitDone(sink, code, reason)) {
                    finish(t, nowNs);
                    return true;
                }
                return false;
            }
        }
        return false;
    }

    /** Hands {@code t}'s in-order bytes to its sink; reports progress, or the end once it finished. */
    void deliver(IncomingTransfer t, long nowNs) {
        long before = t.deliveredOffset();
        t.deliver();
        if (t.sinkBlocked) {
            sinkRetryAtNs = nowNs + SINK_RETRY_NS;
        }
        c.stats.add(ConnectionStats.CHUNK_BYTES_DELIVERED, t.deliveredOffset() - before);
        if (t.state == IncomingTransfer.State.FINISHED) {
            finish(t, nowNs);
        } else if (t.progressDue()) {
            c.events.emit(new TransferProgress(c.localId, t.transferId, true, t.deliveredOffset(), t.sizeBytes),
                    false);
        }
    }

    /** Reports the end of an incoming transfer and releases its memory; the entry stays until RESULT is acked. */
    void finish(IncomingTransfer t, long nowNs) {
        if (!finished.add(t.transferId, t.transferId + 1L)) {
            finished.removeFirstRange();
            finished.add(t.transferId, t.transferId + 1L);
        }
        releaseShares(t);
        if (t.resultCode == ErrorCode.OK) {
            TransferInfo info = t.info.digestFollows() ? t.info.withSha256(t.resultSha256) : t.info;
            c.events.emit(new TransferCompleted(c.localId, t.transferId, true, info, nowNs - t.startNs,
                    t.resumedFromBytes), true);
        } else if (t.info != null) {
            c.events.emit(new TransferFailed(c.localId, t.transferId, true, t.resultCode, t.resultReason), true);
        }
        if (!t.resultPending) {
            remove(t.transferId);
        }
    }

    /** The application cancels a transfer it is receiving; the peer is told with a RESULT. */
    void cancel(int transferId, String reason, long nowNs) {
        IncomingTransfer t = byId.get(transferId);
        if (t != null && t.state == IncomingTransfer.State.RECEIVING) {
            t.fail(ErrorCode.CANCELLED, reason);
            finish(t, nowNs);
        }
    }

    /** The connection ends: every transfer still receiving fails, and all of them give back their memory. */
    void failAll(int code, String reason) {
        for (IncomingTransfer t : new ArrayList<>(byId.values())) {
            if (t.state == IncomingTransfer.State.RECEIVING) {
                t.cancelledByPeer = true; // no RESULT will be sent on a dying connection
                t.fail(code, reason);
                c.events.emit(new TransferFailed(c.localId, t.transferId, true, code, reason), true);
            }
            releaseShares(t); // whatever its state (one still committing too): the connection forgets it now
        }
        byId.clear();
        order.clear();
    }
}
