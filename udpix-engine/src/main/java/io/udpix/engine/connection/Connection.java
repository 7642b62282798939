package io.udpix.engine.connection;

import io.udpix.engine.DropReason;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.EndpointStats;
import io.udpix.engine.cc.CongestionController;
import io.udpix.engine.cc.Pacer;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.event.TransferProgress;
import io.udpix.engine.event.TransferStarted;
import io.udpix.engine.recovery.SentPacketRing;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.engine.util.RangeSet;
import io.udpix.engine.util.TransferMap;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.PacketProtection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One connection, symmetric once established: either side may send items to the other. This class holds the
 * state and the timers; {@link PacketReader} handles what arrives and {@link PacketWriter} builds what leaves.
 * Single-threaded and sans-I/O like the rest of the engine.
 */
public final class Connection {
    /** Lifecycle. */
    public enum State { HANDSHAKE, ESTABLISHED, CLOSING, CLOSED }

    /** Largest packet number; the connection closes before reuse could happen (RFC 9000 section 12.3). */
    static final long MAX_PACKET_NUMBER = 0xFFFF_FFFFL - 1024;
    /** Transfers the peer accepts at once when it did not say (a client does not advertise it). */
    static final int DEFAULT_PEER_MAX_TRANSFERS = 64;
    /** Tracked IDs of finished incoming transfers (ranges; IDs are sequential so this stays tiny). */
    static final int MAX_FINISHED_RANGES = 1024;
    /** Retry a sink that pushed back after this long. */
    static final long SINK_RETRY_NS = 1_000_000L;

    final boolean client;
    final long localId;
    long peerId;
    final InetSocketAddress peer;
    final EndpointConfig config;
    final EndpointStats endpointStats;
    final ConnectionStats stats = new ConnectionStats();
    final EventSink events;
    final SinkFactory sinks;
    final ReassemblyBudget budget;
    /** CRC32C for handshake packets (HELLO, FINISH): no keys exist yet, the Noise messages carry their own tags. */
    final PacketProtection handshakeProtection;
    /** AEAD of DATA packets once the handshake split its keys; null before. */
    PacketProtection protection;
    /** This endpoint's static key (the client proves it in FINISH). */
    final StaticKeyPair localKey;
    /** The peer's static key, proven in the handshake; null before. */
    byte[] peerStaticKey;
    /** The server's reset token for its connection id (client side), from the encrypted ACCEPT; null before. */
    byte[] resetToken;
    final ReplayWindow replay = new ReplayWindow();
    private boolean holdsPeerShare;
    final SentPacketRing ring;
    final AckTracker ack;
    final CongestionController cc;
    final Pacer pacer = new Pacer();
    final Recovery recovery;
    PathMtu pathMtu;
    State state;
    long idleTimeoutNs;
    long lastReceivedNs;
    long lastAckElicitingSentNs;
    final long createdNs;
    boolean pingPending;
    int ackOnlySinceEliciting;
    long sinkRetryAtNs = Long.MAX_VALUE;
    final StallTimer stallTimer = new StallTimer();

    // Handshake (client side).
    final Handshake handshake;

    // Transfers.
    final TransferMap<OutgoingTransfer> outgoing = new TransferMap<>();
    final ArrayDeque<OutgoingTransfer> queuedSends = new ArrayDeque<>();
    final TransferMap<IncomingTransfer> incoming = new TransferMap<>();
    /** The same transfers as {@link #incoming}, for index loops on the send path (an iterator per packet is garbage). */
    final List<IncomingTransfer> incomingOrder = new ArrayList<>();
    final RangeSet finishedIncoming = new RangeSet(MAX_FINISHED_RANGES);
    int nextTransferId;
    int peerMaxTransfers = DEFAULT_PEER_MAX_TRANSFERS;
    long peerInitialCreditBytes = OutgoingTransfer.INITIAL_CREDIT_BYTES;
    final List<OutgoingTransfer> outgoingOrder = new ArrayList<>();
    int roundRobin;

    // Closing.
    int closeCode;
    String closeReason = "";
    int closeSendsLeft;
    long closeDeadlineNs = Long.MAX_VALUE;
    boolean closeEventSent;

    private final PacketReader reader;
    private final PacketWriter writer;

    Connection(boolean client, long localId, long peerId, InetSocketAddress peer, EndpointConfig config,
            EndpointStats endpointStats, EventSink events, SinkFactory sinks, ReassemblyBudget budget,
            PacketProtection handshakeProtection, StaticKeyPair localKey, long nowNs) {
        this.client = client;
        this.localId = localId;
        this.peerId = peerId;
        this.peer = peer;
        this.config = config;
        this.endpointStats = endpointStats;
        this.events = events;
        this.sinks = sinks;
        this.budget = budget;
        this.handshakeProtection = handshakeProtection;
        this.localKey = localKey;
        this.createdNs = nowNs;
        this.lastReceivedNs = nowNs;
        this.idleTimeoutNs = config.idleTimeoutNs;
        this.ring = new SentPacketRing(1 << 16);
        this.ack = new AckTracker(config.maxAckDelayNs);
        this.cc = config.congestionControl.create(config.initialDatagramBytes, nowNs);
        this.recovery = new Recovery(ring, cc, new PacketFateHandler(this), config.maxAckDelayNs, stats);
        this.handshake = client ? new Handshake(this, nowNs) : null;
        this.state = client ? State.HANDSHAKE : State.ESTABLISHED;
        this.reader = new PacketReader(this);
        this.writer = new PacketWriter(this);
    }

    /** A client connection that starts by sending HELLO. */
    public static Connection client(long localId, InetSocketAddress server, EndpointConfig config,
            EndpointStats endpointStats, EventSink events, SinkFactory sinks, ReassemblyBudget budget,
            PacketProtection handshakeProtection, StaticKeyPair localKey, long nowNs) {
        return new Connection(true, localId, 0, server, config, endpointStats, events, sinks, budget,
                handshakeProtection, localKey, nowNs);
    }

    /**
     * A server connection created when the handshake completed (FINISH verified), with its DATA keys and the
     * client's proven key. {@code announce} is false for a connection that is created only to tell the client,
     * encrypted, that its key is refused.
     */
    public static Connection server(long localId, long peerId, InetSocketAddress client, int helloSizeBytes,
            int peerMaxDatagramBytes, long peerIdleTimeoutMs, EndpointConfig config, EndpointStats endpointStats,
            EventSink events, SinkFactory sinks, ReassemblyBudget budget, PacketProtection handshakeProtection,
            StaticKeyPair localKey, PacketCipher cipher, byte[] clientKey, boolean announce, long nowNs) {
        Connection c = new Connection(false, localId, peerId, client, config, endpointStats, events, sinks, budget,
                handshakeProtection, localKey, nowNs);
        c.installKeys(cipher, clientKey, null);
        c.pathMtu = new PathMtu(helloSizeBytes, Math.min(config.maxDatagramBytes, peerMaxDatagramBytes),
                config.pathMtuDiscovery, nowNs);
        c.cc.onMaxDatagramSizeChanged(helloSizeBytes);
        if (peerIdleTimeoutMs > 0) {
            c.idleTimeoutNs = Math.min(c.idleTimeoutNs, peerIdleTimeoutMs * 1_000_000L);
        }
        if (announce) {
            events.emit(new ConnectionEstablished(localId, client), true);
        }
        return c;
    }

    /** Installs the DATA keys the handshake produced and what it proved about the peer. */
    void installKeys(PacketProtection cipher, byte[] peerKey, byte[] token) {
        this.protection = cipher;
        this.peerStaticKey = peerKey;
        this.resetToken = token;
    }

    /** The peer's static public key proven in the handshake (a copy), or null before. */
    public byte[] peerStaticKey() {
        return peerStaticKey == null ? null : peerStaticKey.clone();
    }

    /** Server side: this connection took a slot of its address's connection share (released when removed). */
    public void markHoldsPeerShare() {
        holdsPeerShare = true;
    }

    /** Whether {@link #markHoldsPeerShare} was called. */
    public boolean holdsPeerShare() {
        return holdsPeerShare;
    }

    /** The peer's connection id (0 until a client learns the server's). */
    public long peerId() {
        return peerId;
    }

    /**
     * A RESET naming our peer's connection id arrived (client side): true when its token is the one the server
     * sent us in the encrypted ACCEPT (compared in constant time), and then the connection has failed at once.
     */
    public boolean onStatelessReset(ByteBuffer buf, int tokenIndex) {
        if (resetToken == null || state == State.CLOSED) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < resetToken.length; i++) {
            diff |= resetToken[i] ^ buf.get(tokenIndex + i);
        }
        if (diff != 0) {
            return false;
        }
        String reason = "the server at " + peer + " reset the connection: the server restarted or forgot this "
                + "connection";
        failAllTransfers(ErrorCode.UNKNOWN_CONNECTION, reason);
        enterClosed(ErrorCode.UNKNOWN_CONNECTION, reason);
        return true;
    }

    /** Local connection ID (what the peer puts in its packets' headers). */
    public long localId() {
        return localId;
    }

    /** The peer's address. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** Lifecycle state. */
    public State state() {
        return state;
    }

    /** Whether we opened this connection (false: a peer's, accepted from a HELLO). */
    public boolean isClient() {
        return client;
    }

    /** Slots of the sent-packet ring now: memory that follows what is in flight (tests, memory accounting). */
    public int sentPacketSlots() {
        return ring.capacity();
    }

    /** Whether the endpoint may forget this connection. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Counters and path state, copied. */
    public ConnectionStats.Snapshot snapshot() {
        return stats.snapshot(localId, cc.name(), recovery.rtt().rttNsSmoothed(), recovery.rtt().minRttNs(),
                cc.congestionWindowBytes(), cc.pacingRateBytesPerSecond(), recovery.bytesInFlight(),
                datagramBytes());
    }

    int datagramBytes() {
        return pathMtu == null ? config.initialDatagramBytes : pathMtu.currentBytes();
    }

    // ---------------------------------------------------------------- application calls

    /**
     * Queues an item to send; returns its transfer ID, or -1 when the send queue is full or the connection is
     * closing (the application gets a TransferFailed event too).
     */
    public int send(TransferRequest request, long nowNs) {
        int id = nextTransferId++;
        if (state == State.CLOSING || state == State.CLOSED || queuedSends.size() >= config.maxQueuedSends) {
            String why = state == State.CLOSING || state == State.CLOSED ? "the connection is closed"
                    : "too many items queued (" + config.maxQueuedSends + "); wait for some to finish";
            events.emit(new TransferFailed(localId, id, false, ErrorCode.TOO_MANY_TRANSFERS, why), true);
            return -1;
        }
        String invalid = invalidMetadata(request);
        if (invalid != null) {
            events.emit(new TransferFailed(localId, id, false, ErrorCode.PROTOCOL_VIOLATION, invalid), true);
            return -1;
        }
        queuedSends.add(new OutgoingTransfer(id, request.info(), request.source(), nowNs, peerInitialCreditBytes));
        promoteQueuedSends(nowNs);
        return id;
    }

    /** Checks that the OPEN frame can be encoded, so a bad name fails here and not later inside pollTransmit. */
    private static String invalidMetadata(TransferRequest request) {
        var info = request.info();
        try {
            int length = io.udpix.wire.OpenFrame.encodedLength(info.mediaType(), info.name());
            io.udpix.wire.OpenFrame.encode(ByteBuffer.allocate(length), 0, 0, info.kind(), 0, info.sizeBytes(),
                    info.digestFollows() ? new byte[32] : info.sha256(), info.mediaType(), info.name());
            return null;
        } catch (IllegalArgumentException e) {
            return "the item cannot be announced: " + e.getMessage();
        }
    }

    void promoteQueuedSends(long nowNs) {
        if (state != State.ESTABLISHED) {
            return;
        }
        while (!queuedSends.isEmpty() && outgoing.size() < peerMaxTransfers) {
            OutgoingTransfer t = queuedSends.poll();
            t.onWindow(peerInitialCreditBytes);
            outgoing.put(t.transferId, t);
            outgoingOrder.add(t);
            events.emit(new TransferStarted(localId, t.transferId, false, t.info), true);
        }
    }

    /** Cancels one of our outgoing transfers, or one we are receiving; the peer is told. */
    public void cancel(int transferId, boolean incomingTransfer, String reason, long nowNs) {
        if (incomingTransfer) {
            IncomingTransfer t = incoming.get(transferId);
            if (t != null && t.state == IncomingTransfer.State.RECEIVING) {
                t.fail(ErrorCode.CANCELLED, reason);
                finishIncoming(t, nowNs);
            }
            return;
        }
        OutgoingTransfer t = outgoing.get(transferId);
        if (t == null) {
            for (OutgoingTransfer q : queuedSends) {
                if (q.transferId == transferId) {
                    queuedSends.remove(q);
                    q.closeSource();
                    events.emit(new TransferFailed(localId, transferId, false, ErrorCode.CANCELLED, reason), true);
                    return;
                }
            }
            return;
        }
        if (t.state == OutgoingTransfer.State.ACTIVE) {
            t.state = OutgoingTransfer.State.CANCELLING;
            t.cancelPending = true;
            t.cancelCode = ErrorCode.CANCELLED;
            t.cancelReason = reason;
            t.closeSource();
            events.emit(new TransferFailed(localId, transferId, false, ErrorCode.CANCELLED, reason), true);
        }
    }

    /** Closes the connection: pending transfers fail, the peer gets CLOSE (RFC 9000 section 10.2). */
    public void close(int code, String reason, long nowNs) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        failAllTransfers(code == ErrorCode.OK ? ErrorCode.CLOSED : code,
                reason.isEmpty() ? "the connection was closed" : reason);
        if (state == State.HANDSHAKE) {
            enterClosed(code, reason);
            return;
        }
        closeCode = code;
        closeReason = reason;
        closeSendsLeft = 1;
        state = State.CLOSING;
        closeDeadlineNs = nowNs + 3 * recovery.currentPtoNs();
        recovery.discardAll();
    }

    // ---------------------------------------------------------------- driver-facing calls

    /**
     * A DATA packet for this connection, still sealed: {@code end} includes the AEAD tag. It is opened in place,
     * then checked against the replay window (after authentication, so forgeries cannot move the window).
     */
    public void handleDataPacket(InetSocketAddress from, ByteBuffer buf, int start, int end, long nowNs) {
        if (!from.equals(peer)) {
            endpointStats.count(DropReason.WRONG_PEER);
            return;
        }
        if (state == State.CLOSED || protection == null) {
            endpointStats.count(DropReason.UNEXPECTED_TYPE);
            return;
        }
        if (!protection.open(buf, start, end)) {
            endpointStats.count(DropReason.AUTHENTICATION_FAILED);
            stats.countCorrupt();
            return;
        }
        long pn = io.udpix.wire.BigEndian.getU32(buf, start + io.udpix.wire.PacketHeader.PACKET_NUMBER_OFFSET);
        if (!replay.accept(pn)) {
            endpointStats.count(DropReason.REPLAY);
            stats.duplicatePackets++;
            return;
        }
        if (handshake != null) {
            handshake.onFinishConfirmed();
        }
        reader.read(buf, start, end - protection.overheadBytes(), nowNs);
    }

    /** Handshake packets (RETRY, ACCEPT, VERSION, RESET) for a client connection, integrity already checked. */
    public void handleHandshakePacket(InetSocketAddress from, int type, ByteBuffer buf, int start, int payloadEnd,
            long nowNs) {
        if (!from.equals(peer)) {
            endpointStats.count(DropReason.WRONG_PEER);
            return;
        }
        if (handshake == null || state != State.HANDSHAKE) {
            // After the handshake only authenticated packets count: an unauthenticated RESET naming our own id
            // (not the server's, with its token) is ignored.
            endpointStats.count(type == io.udpix.wire.PacketType.RESET ? DropReason.BAD_RESET_TOKEN
                    : DropReason.UNEXPECTED_TYPE);
            return;
        }
        handshake.handle(type, buf, start, payloadEnd, nowNs);
    }

    /** Server side: the client repeated FINISH after we completed; a PING soon confirms with an authenticated DATA. */
    public void onRepeatedFinish() {
        pingPending = true;
    }

    /**
     * Server side: the client's key (or its capabilities) is refused. The connection only sends a CLOSE with
     * {@code code} and {@code reason}, encrypted, and then goes; the application never hears of it.
     */
    public void refuse(int code, String reason, long nowNs) {
        closeEventSent = true;
        close(code, reason, nowNs);
    }

    /** Whether this is a client still waiting for ACCEPT. */
    public boolean inHandshake() {
        return state == State.HANDSHAKE;
    }

    /** A datagram naming this connection failed its integrity check. */
    public void onCorruptPacket() {
        stats.countCorrupt();
    }

    /** Writes the next datagram into {@code dst} from index 0; returns its length, or 0 when nothing is due. */
    public int poll(ByteBuffer dst, long nowNs) {
        if (state == State.HANDSHAKE) {
            return handshake.pollHello(dst, nowNs);
        }
        if (state == State.CLOSED) {
            return 0;
        }
        if (handshake != null && state == State.ESTABLISHED && handshake.finishDue(nowNs)) {
            return handshake.pollFinish(dst, nowNs);
        }
        return writer.write(dst, nowNs);
    }

    /** When this connection next needs {@link #onTimeout} or {@link #poll}. */
    public long nextDeadlineNs() {
        if (state == State.CLOSED) {
            return Long.MAX_VALUE;
        }
        if (state == State.HANDSHAKE) {
            return handshake.nextDeadlineNs();
        }
        long d = idleDeadlineNs();
        if (state == State.CLOSING) {
            return Math.min(d, closeDeadlineNs);
        }
        d = Math.min(d, recovery.timerNs());
        if (ring.hasRoom()) {
            d = Math.min(d, ack.ackDeadlineNs());
        }
        d = Math.min(d, keepAliveDeadlineNs());
        d = Math.min(d, writer.sendDeadlineNs());
        if (handshake != null) {
            d = Math.min(d, handshake.finishDeadlineNs());
        }
        if (anySinkBlocked()) {
            d = Math.min(d, sinkRetryAtNs);
        }
        return Math.min(d, stallTimer.deadlineNs());
    }

    private long idleDeadlineNs() {
        long d = lastReceivedNs + idleTimeoutNs;
        long unacked = recovery.unacknowledgedSinceNs();
        if (state == State.ESTABLISHED && unacked != Long.MAX_VALUE) {
            d = Math.min(d, unacked + idleTimeoutNs);
        }
        return d;
    }

    /** RFC 9000 section 10.1.2: a PING before the peer's idle timer could fire, unless one is already due. */
    long keepAliveDeadlineNs() {
        if (pingPending || recovery.unacknowledgedSinceNs() != Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(lastAckElicitingSentNs, lastReceivedNs) + idleTimeoutNs / 3;
    }

    /** Runs due timers. */
    public void onTimeout(long nowNs) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.HANDSHAKE) {
            handshake.onTimeout(nowNs);
            return;
        }
        if (nowNs >= lastReceivedNs + idleTimeoutNs) {
            // RFC 9000 section 10.1: silently close after the idle timeout.
            endpointStats.countIdleTimeout();
            failAllTransfers(ErrorCode.IDLE_TIMEOUT, "no packet from " + peer + " for "
                    + idleTimeoutNs / 1_000_000 + " ms; the peer is gone or the path is cut");
            enterClosed(ErrorCode.IDLE_TIMEOUT, "idle timeout: nothing heard from the peer for "
                    + idleTimeoutNs / 1_000_000 + " ms");
            return;
        }
        long unackedSinceNs = recovery.unacknowledgedSinceNs();
        if (state == State.ESTABLISHED && unackedSinceNs != Long.MAX_VALUE
                && nowNs >= unackedSinceNs + idleTimeoutNs) {
            endpointStats.countIdleTimeout();
            String reason = "nothing we sent to " + peer + " was acknowledged for " + idleTimeoutNs / 1_000_000
                    + " ms; the path towards the peer is cut";
            failAllTransfers(ErrorCode.TIMEOUT, reason);
            enterClosed(ErrorCode.TIMEOUT, reason);
            return;
        }
        if (state == State.CLOSING) {
            if (nowNs >= closeDeadlineNs) {
                enterClosed(closeCode, closeReason);
            }
            return;
        }
        int ptoBefore = recovery.ptoCount();
        recovery.onTimeout(nowNs);
        if (recovery.ptoCount() >= 3 && ptoBefore < 3 && pathMtu != null && pathMtu.onBlackHole(nowNs)) {
            cc.onMaxDatagramSizeChanged(pathMtu.currentBytes());
        }
        if (pathMtu != null) {
            pathMtu.onTimer(nowNs);
        }
        if (nowNs >= keepAliveDeadlineNs()) {
            pingPending = true;
            // Nothing ack-eliciting in flight for a third of the idle timeout: the connection is idle, so its
            // per-packet memory goes back to the minimum (an idle connection costs a few KiB, not the peak window).
            ring.shrinkIfIdle();
            ack.trim();
        }
        if (anySinkBlocked() && nowNs >= sinkRetryAtNs) {
            retryBlockedSinks(nowNs);
        }
        if (nowNs >= stallTimer.deadlineNs()) {
            stallTimer.fire(this, nowNs, config.stallTimeoutNs);
        }
    }

    /** Reserves {@code bytes} more for a growing reassembly ring: from the budget and from the peer's share. */
    boolean tryReserveRing(long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        if (!budget.shares().tryReserveBytes(peer, bytes)) {
            budget.release(bytes);
            return false;
        }
        return true;
    }

    /** Gives back {@code bytes} of a reservation (budget and the peer's share) that is not needed after all. */
    void releaseShareBytes(long bytes) {
        budget.release(bytes);
        budget.shares().releaseBytes(peer, bytes);
    }

    /** Gives back a whole reservation taken in {@link PacketReader} for a transfer that was not created. */
    void releaseShares(long bytes) {
        releaseShareBytes(bytes);
        budget.shares().closeTransfer(peer);
    }

    /** Gives back what {@code t} holds of the budget and of its address's share; once. */
    private void releaseShares(IncomingTransfer t) {
        if (t.holdsShares) {
            t.holdsShares = false;
            releaseShares(t.reservedBytes());
        }
    }

    private boolean anySinkBlocked() {
        for (int i = 0, n = incomingOrder.size(); i < n; i++) {
            if (incomingOrder.get(i).sinkBlocked) {
                return true;
            }
        }
        return false;
    }

    /**
     * The outcome of a commit a sink ran off the engine's thread ({@link TransferSink#commitsLater}): the RESULT
     * is sent now (and the transfer's end event emitted). Ignored when the transfer is gone (the connection closed
     * meanwhile) or was not committing; returns whether it was taken.
     */
    public boolean completeCommit(TransferSink sink, int code, String reason, long nowNs) {
        for (int i = 0, n = incomingOrder.size(); i < n; i++) {
            IncomingTransfer t = incomingOrder.get(i);
            if (t.hasSink(sink)) {
                if (t.onCommitDone(sink, code, reason)) {
                    finishIncoming(t, nowNs);
                    return true;
                }
                return false;
            }
        }
        return false;
    }

    void addIncoming(IncomingTransfer t) {
        incoming.put(t.transferId, t);
        incomingOrder.add(t);
    }

    void removeIncoming(int transferId) {
        IncomingTransfer t = incoming.remove(transferId);
        if (t != null) {
            incomingOrder.remove(t);
        }
    }

    private void retryBlockedSinks(long nowNs) {
        for (IncomingTransfer t : new ArrayList<>(incoming.values())) {
            if (t.sinkBlocked) {
                deliverIncoming(t, nowNs);
            }
        }
    }

    // ---------------------------------------------------------------- shared helpers for reader and writer

    void deliverIncoming(IncomingTransfer t, long nowNs) {
        long before = t.deliveredOffset();
        t.deliver();
        if (t.sinkBlocked) {
            sinkRetryAtNs = nowNs + SINK_RETRY_NS;
        }
        stats.chunkBytesDelivered += t.deliveredOffset() - before;
        if (t.state == IncomingTransfer.State.FINISHED) {
            finishIncoming(t, nowNs);
        } else if (t.progressDue()) {
            events.emit(new TransferProgress(localId, t.transferId, true, t.deliveredOffset(), t.sizeBytes), false);
        }
    }

    /** Reports the end of an incoming transfer and releases its memory; the entry stays until RESULT is acked. */
    void finishIncoming(IncomingTransfer t, long nowNs) {
        if (!finishedIncoming.add(t.transferId, t.transferId + 1L)) {
            finishedIncoming.removeFirstRange();
            finishedIncoming.add(t.transferId, t.transferId + 1L);
        }
        releaseShares(t);
        if (t.resultCode == ErrorCode.OK) {
            TransferInfo info = t.info.digestFollows() ? t.info.withSha256(t.resultSha256) : t.info;
            events.emit(new TransferCompleted(localId, t.transferId, true, info, nowNs - t.startNs), true);
        } else if (t.info != null) {
            events.emit(new TransferFailed(localId, t.transferId, true, t.resultCode, t.resultReason), true);
        }
        if (!t.resultPending) {
            removeIncoming(t.transferId);
        }
    }

    void finishOutgoing(OutgoingTransfer t, int code, byte[] receiverSha256, String reason, long nowNs) {
        outgoing.remove(t.transferId);
        outgoingOrder.remove(t);
        boolean wasActive = t.state == OutgoingTransfer.State.ACTIVE;
        t.state = OutgoingTransfer.State.DONE;
        t.closeSource();
        if (wasActive) {
            byte[] sentSha256 = t.sha256();
            if (code == ErrorCode.OK && sentSha256 != null && Arrays.equals(receiverSha256, sentSha256)) {
                events.emit(new TransferCompleted(localId, t.transferId, false, t.info.withSha256(sentSha256),
                        nowNs - t.startNs), true);
            } else {
                int c = code == ErrorCode.OK ? ErrorCode.HASH_MISMATCH : code;
                String why = reason.isEmpty() ? ErrorCode.describe(c) : reason;
                events.emit(new TransferFailed(localId, t.transferId, false, c, why), true);
            }
        }
        promoteQueuedSends(nowNs);
    }

    void failAllTransfers(int code, String reason) {
        for (OutgoingTransfer t : new ArrayList<>(outgoing.values())) {
            if (t.state == OutgoingTransfer.State.ACTIVE) {
                events.emit(new TransferFailed(localId, t.transferId, false, code, reason), true);
            }
            t.state = OutgoingTransfer.State.DONE;
            t.closeSource();
        }
        outgoing.clear();
        outgoingOrder.clear();
        for (OutgoingTransfer t : queuedSends) {
            events.emit(new TransferFailed(localId, t.transferId, false, code, reason), true);
            t.closeSource();
        }
        queuedSends.clear();
        for (IncomingTransfer t : new ArrayList<>(incoming.values())) {
            if (t.state == IncomingTransfer.State.RECEIVING) {
                t.cancelledByPeer = true; // no RESULT will be sent on a dying connection
                t.fail(code, reason);
                events.emit(new TransferFailed(localId, t.transferId, true, code, reason), true);
            }
            releaseShares(t); // whatever its state (one still committing too): the connection forgets it now
        }
        incoming.clear();
        incomingOrder.clear();
    }

    /** The peer closed (CLOSE frame or RESET): everything ends now. */
    void peerClosed(int code, String reason) {
        failAllTransfers(code == ErrorCode.OK ? ErrorCode.CLOSED : code,
                reason.isEmpty() ? "the peer closed the connection" : "the peer closed the connection: " + reason);
        enterClosed(code, reason);
    }

    void enterClosed(int code, String reason) {
        state = State.CLOSED;
        recovery.discardAll();
        if (!closeEventSent) {
            closeEventSent = true;
            events.emit(new ConnectionClosed(localId, peer, code, reason), true);
        }
    }

    /** Called by the handshake when ACCEPT arrives. */
    void onEstablished(long serverId, int helloSizeBytes, int peerMaxDatagramBytes, long peerIdleTimeoutMs,
            int maxTransfers, long initialWindowBytes, long nowNs) {
        peerId = serverId;
        state = State.ESTABLISHED;
        lastReceivedNs = nowNs;
        pathMtu = new PathMtu(helloSizeBytes, Math.min(config.maxDatagramBytes, peerMaxDatagramBytes),
                config.pathMtuDiscovery, nowNs);
        cc.onMaxDatagramSizeChanged(helloSizeBytes);
        if (peerIdleTimeoutMs > 0) {
            idleTimeoutNs = Math.min(idleTimeoutNs, peerIdleTimeoutMs * 1_000_000L);
        }
        peerMaxTransfers = Math.max(1, maxTransfers);
        peerInitialCreditBytes = Math.max(OutgoingTransfer.INITIAL_CREDIT_BYTES, initialWindowBytes);
        events.emit(new ConnectionEstablished(localId, peer), true);
        promoteQueuedSends(nowNs);
    }
}
