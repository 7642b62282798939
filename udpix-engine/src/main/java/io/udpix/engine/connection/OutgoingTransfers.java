package io.udpix.engine.connection;

import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferStarted;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.util.TransferMap;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.OpenFrame;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The transfers a connection sends: the queue of items waiting for one of the peer's transfer slots and the active
 * ones. Separate from {@link Connection} so that the send queue's limits and the end-of-transfer events live in
 * one small class instead of among the connection's timers and handshake.
 */
final class OutgoingTransfers {
    /** Transfers the peer accepts at once when it did not say (a client does not advertise it). */
    static final int DEFAULT_PEER_MAX_TRANSFERS = 64;

    private final Connection c;
    private final TransferMap<OutgoingTransfer> byId = new TransferMap<>();
    /** The same transfers as {@link #byId}, for index loops on the send path (an iterator per packet is garbage). */
    final List<OutgoingTransfer> order = new ArrayList<>();
    /** Items waiting for a slot; at most {@code config.maxQueuedSends}. */
    private final ArrayDeque<OutgoingTransfer> queued = new ArrayDeque<>();
    private int nextTransferId;
    /** Where {@link PacketWriter} resumes its round-robin over {@link #order}. */
    int roundRobin;
    int peerMaxTransfers = DEFAULT_PEER_MAX_TRANSFERS;
    long peerInitialCreditBytes = OutgoingTransfer.INITIAL_CREDIT_BYTES;

    OutgoingTransfers(Connection c) {
        this.c = c;
    }

    OutgoingTransfer get(int transferId) {
        return byId.get(transferId);
    }

    /** See {@link Connection#send}. */
    int send(TransferRequest request, long nowNs) {
        int id = nextTransferId++;
        Connection.State state = c.state;
        if (state == Connection.State.CLOSING || state == Connection.State.CLOSED
                || queued.size() >= c.config.maxQueuedSends) {
            String why = state == Connection.State.CLOSING || state == Connection.State.CLOSED
                    ? "the connection is closed"
                    : "too many items queued (" + c.config.maxQueuedSends + "); wait for some to finish";
            c.events.emit(new TransferFailed(c.localId, id, false, ErrorCode.TOO_MANY_TRANSFERS, why), true);
            return -1;
        }
        String invalid = invalidMetadata(request);
        if (invalid != null) {
            c.events.emit(new TransferFailed(c.localId, id, false, ErrorCode.PROTOCOL_VIOLATION, invalid), true);
            return -1;
        }
        String unsupported = unsupportedExtensions(request);
        if (unsupported != null) {
            c.events.emit(new TransferFailed(c.localId, id, false, ErrorCode.UNSUPPORTED_FEATURE, unsupported), true);
            return -1;
        }
        queued.add(new OutgoingTransfer(id, request.info(), request.source(), nowNs, peerInitialCreditBytes));
        promoteQueued(nowNs);
        return id;
    }

    /**
     * Section 4.4a: an extension block goes only to a peer that set FEATURES bit ITEM_EXTENSIONS. Null when the item
     * may go, else why not. Known once the handshake is done; items queued before it are checked again then.
     */
    private String unsupportedExtensions(TransferRequest request) {
        var x = request.info().extensions();
        if (x.isEmpty() || c.peerTakesItemExtensions() || c.state != Connection.State.ESTABLISHED
                || onlyResumable(x)) {
            return null;
        }
        return unsupportedReason(x);
    }

    /** Resume only saves bytes: an item whose only extension is RESUMABLE goes to any peer, without it if need be. */
    private static boolean onlyResumable(io.udpix.engine.event.ItemExtensions x) {
        return x.resumable() && x.meta().isEmpty() && !x.replyWanted() && x.replyTo() < 0;
    }

    String unsupportedReason(io.udpix.engine.event.ItemExtensions x) {
        String what = x.resumable() ? "resumable transfers" : x.replyWanted() || x.replyTo() >= 0
                ? "requests and replies" : "item metadata";
        return "the " + (c.client ? "server" : "client") + " at " + c.peer + " does not take " + what
                + ": it runs an older udpix; upgrade it, or send the item without "
                + (x.resumable() ? "resume (--no-resume)" : x.meta().isEmpty() ? "waiting for a reply" : "metadata");
    }

    /** Checks that the OPEN frame can be encoded, so a bad name fails here and not later inside pollTransmit. */
    private static String invalidMetadata(TransferRequest request) {
        var info = request.info();
        try {
            if (info.extensions().resumable() && info.digestFollows()) {
                return "a resumable item must announce its SHA-256 in the OPEN (docs/PROTOCOL.md section 4.4a);"
                        + " hash it before sending";
            }
            byte[] extensions = OutgoingTransfer.encodeExtensions(info);
            int length = OpenFrame.encodedLength(info.mediaType(), info.name(), extensions);
            OpenFrame.encode(ByteBuffer.allocate(length), 0, 0, info.kind(), 0, info.sizeBytes(),
                    info.digestFollows() ? new byte[32] : info.sha256(), info.mediaType(), info.name(), extensions);
            return null;
        } catch (IllegalArgumentException e) {
            return "the item cannot be announced: " + e.getMessage();
        }
    }

    /** Starts queued items while the connection is established and the peer has transfer slots free. */
    void promoteQueued(long nowNs) {
        if (c.state != Connection.State.ESTABLISHED) {
            return;
        }
        while (!queued.isEmpty() && byId.size() < peerMaxTransfers) {
            OutgoingTransfer t = queued.poll();
            if (t.openExtensions != null && !c.peerTakesItemExtensions() && onlyResumable(t.info.extensions())) {
                t.dropResumable();
            }
            if (t.openExtensions != null && !c.peerTakesItemExtensions()) {
                c.events.emit(new TransferFailed(c.localId, t.transferId, false, ErrorCode.UNSUPPORTED_FEATURE,
                        unsupportedReason(t.info.extensions())), true);
                continue;
            }
            t.onWindow(peerInitialCreditBytes);
            byId.put(t.transferId, t);
            order.add(t);
            c.events.emit(new TransferStarted(c.localId, t.transferId, false, t.info), true);
        }
    }

    /** The application cancels an item it sends (queued or active); the peer is told with a CANCEL. */
    void cancel(int transferId, String reason) {
        abort(transferId, ErrorCode.CANCELLED, reason);
    }

    /** Ends an item we send with {@code code}: the application hears it at once, the peer in a CANCEL. */
    void abort(int transferId, int code, String reason) {
        OutgoingTransfer t = byId.get(transferId);
        if (t == null) {
            for (OutgoingTransfer q : queued) {
                if (q.transferId == transferId) {
                    queued.remove(q);
                    q.closeSource();
                    c.events.emit(new TransferFailed(c.localId, transferId, false, code, reason), true);
                    return;
                }
            }
            return;
        }
        if (t.state == OutgoingTransfer.State.ACTIVE) {
            t.state = OutgoingTransfer.State.CANCELLING;
            t.cancelPending = true;
            t.cancelCode = code;
            t.cancelReason = reason;
            t.closeSource();
            c.events.emit(new TransferFailed(c.localId, transferId, false, code, reason), true);
        }
    }

    /** The peer acknowledged our CANCEL of {@code t}: its slot is free for a queued item. */
    void onCancelAcked(OutgoingTransfer t, long nowNs) {
        byId.remove(t.transferId);
        order.remove(t);
        promoteQueued(nowNs);
    }

    /** The peer's RESULT (or a local failure) ends {@code t}: the end event, then a queued item takes its slot. */
    void finish(OutgoingTransfer t, int code, byte[] receiverSha256, String reason, long nowNs) {
        byId.remove(t.transferId);
        order.remove(t);
        boolean wasActive = t.state == OutgoingTransfer.State.ACTIVE;
        t.state = OutgoingTransfer.State.DONE;
        t.closeSource();
        if (wasActive) {
            byte[] sentSha256 = t.sha256();
            if (code == ErrorCode.OK && sentSha256 != null && Arrays.equals(receiverSha256, sentSha256)) {
                c.events.emit(new TransferCompleted(c.localId, t.transferId, false, t.info.withSha256(sentSha256),
                        nowNs - t.startNs, t.resumedFromBytes), true);
            } else {
                int failCode = code == ErrorCode.OK ? ErrorCode.HASH_MISMATCH : code;
                String why = reason.isEmpty() ? ErrorCode.describe(failCode) : reason;
                c.events.emit(new TransferFailed(c.localId, t.transferId, false, failCode, why), true);
            }
        }
        promoteQueued(nowNs);
    }

    /** The connection ends: active and queued items fail and close their sources. */
    void failAll(int code, String reason) {
        for (OutgoingTransfer t : new ArrayList<>(byId.values())) {
            if (t.state == OutgoingTransfer.State.ACTIVE) {
                c.events.emit(new TransferFailed(c.localId, t.transferId, false, code, reason), true);
            }
            t.state = OutgoingTransfer.State.DONE;
            t.closeSource();
        }
        byId.clear();
        order.clear();
        for (OutgoingTransfer t : queued) {
            c.events.emit(new TransferFailed(c.localId, t.transferId, false, code, reason), true);
            t.closeSource();
        }
        queued.clear();
    }
}
