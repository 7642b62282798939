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
import io.udpix.engine.recovery.SentPacketRing;
import io.udpix.engine.stream.IncomingStreams;
import io.udpix.engine.stream.StreamLimits;
import io.udpix.engine.stream.StreamStats;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.engine.util.HeapStage;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.PacketProtection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One connection, symmetric once established: either side may send items to the other. This class holds the
 * state and the timers; {@link PacketReader} handles what arrives and {@link PacketWriter} builds what leaves,
 * {@link OutgoingTransfers} and {@link IncomingTransfers} hold the transfers in each direction.
 * Single-threaded and sans-I/O like the rest of the engine.
 */
public final class Connection {
    /** Lifecycle. */
    public enum State { HANDSHAKE, ESTABLISHED, CLOSING, CLOSED }

    /** Where DATA packets from a direct driver buffer are opened and parsed (see {@link HeapStage}). */
    private static final HeapStage OPEN_STAGE = new HeapStage();
    private static final int OPEN_STAGE_BYTES = 65_536;
    /** Largest packet number; the connection closes before reuse could happen (RFC 9000 section 12.3). */
    static final long MAX_PACKET_NUMBER = 0xFFFF_FFFFL - 1024;

    final boolean client;
    final long localId;
    long peerId;
    final InetSocketAddress peer;
    final EndpointConfig config;
    final EndpointStats endpointStats;
    final ConnectionStats stats;
    final EventSink events;
    /** Tracing hooks (docs/QLOG.md); {@link ConnectionTrace#OFF} unless the endpoint has a tracer. */
    final ConnectionTrace trace;
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
    final StallTimer stallTimer = new StallTimer();

    // Handshake (client side).
    final Handshake handshake;

    // Transfers.
    final OutgoingTransfers outgoing = new OutgoingTransfers(this);
    final IncomingTransfers incoming = new IncomingTransfers(this);

    // Frame streams, receiving side (docs/PROTOCOL.md section 5.8). What the peer takes is known once established.
    final IncomingStreams incomingStreams;
    /** Whether the peer set FEATURES bit STREAMS (it takes our streams); false until the handshake says so. */
    boolean peerTakesStreams;
    /** The peer's FEATURES bits (docs/PROTOCOL.md section 3.7); 0 until the handshake says. */
    long peerFeatures;
    /** The peer's STREAM_LIMITS (defaults when it set STREAMS without them); null when it takes no streams. */
    StreamLimits peerStreamLimits;
    /** Server: handshake RTT (first ACCEPT to FINISH), the stream clock's minRtt until a sample (section 5.8.3). */
    long handshakeRttNs;
    // Frame streams we send (docs/PROTOCOL.md sections 4.13-4.16).
    final io.udpix.engine.stream.OutgoingStreams outStreams;

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
        this.stats = new ConnectionStats(endpointStats.counters(), localId,
                peer.getAddress().getHostAddress() + ":" + peer.getPort(), client);
        this.trace = ConnectionTrace.of(this, config.tracer, nowNs);
        this.events = trace.wrap(events);
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
        this.recovery.trace = trace;
        this.handshake = client ? new Handshake(this, nowNs) : null;
        this.state = client ? State.HANDSHAKE : State.ESTABLISHED;
        this.outStreams = new io.udpix.engine.stream.OutgoingStreams(localId, peer, e -> events.emit(e, true),
                io.udpix.engine.stream.FecPlanner::stride);
        this.outStreams.trace(trace.streams());
        this.reader = new PacketReader(this);
        this.writer = new PacketWriter(this);
        IncomingStreamsHost streamsHost = new IncomingStreamsHost(this);
        this.incomingStreams = new IncomingStreams(streamsHost, streamsHost, config.streamLimits());
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

    /** Whether a RESULT waits to be sent (held back to share a packet with an acknowledgement). */
    public boolean owesResults() {
        return state == State.ESTABLISHED && writer.resultWaits();
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

    /** Copies RTT, window, rates and bytes in flight into the stats registry; engine thread, after input/output. */
    public void publishStats() {
        io.udpix.engine.recovery.RttEstimator rtt = recovery.rtt();
        stats.publish(rtt.rttNsSmoothed(), rtt.minRttNs(), rtt.rttNsVar(), cc.congestionWindowBytes(),
                cc.pacingRateBytesPerSecond(), cc.deliveryRateBytesPerSecond(), recovery.bytesInFlight(),
                datagramBytes());
    }

    /** Frees this connection's registry slots once the endpoint forgets it (its last figures stay readable). */
    public void releaseStats() {
        publishStats();
        stats.free();
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
        return outgoing.send(request, nowNs);
    }

    /** Cancels one of our outgoing transfers, or one we are receiving; the peer is told. */
    public void cancel(int transferId, boolean incomingTransfer, String reason, long nowNs) {
        if (incomingTransfer) {
            incoming.cancel(transferId, reason, nowNs);
        } else {
            outgoing.cancel(transferId, reason);
        }
    }

    /**
     * Why the connection is closing or closed ({@code ConnectionClosed}'s code and reason), or null while it is
     * open: lets a caller whose request arrives after the close, but before the close's event reached it, name
     * the real cause rather than "closing".
     */
    public io.udpix.engine.event.ConnectionClosed closeCause() {
        if (state != State.CLOSING && state != State.CLOSED) {
            return null;
        }
        return new io.udpix.engine.event.ConnectionClosed(localId, peer, closeCode, closeReason);
    }

    /** Closes the connection: pending transfers fail, the peer gets CLOSE (RFC 9000 section 10.2). */
    public void close(int code, String reason, long nowNs) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        failAllTransfers(code == ErrorCode.OK ? ErrorCode.CLOSED : code,
                reason.isEmpty() ? "the connection was closed" : reason);
        trace.closing(code, true, nowNs);
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

    /**
     * Opens a frame stream towards the peer; see {@code Endpoint.openStream}. A peer that did not set STREAMS gets
     * no STREAM_OPEN: the stream ends at once with UNSUPPORTED_FEATURE (section 5.8.1).
     */
    public int openStream(io.udpix.engine.stream.StreamParams params, long nowNs) {
        return outStreams.open(params, state == State.CLOSING || state == State.CLOSED, nowNs);
    }

    /**
     * Whether the peer parses OPEN extension blocks and RESUME frames (FEATURES bit ITEM_EXTENSIONS, docs/PROTOCOL.md
     * section 4.4a): only then may an item carry metadata, ask for or be a reply, or offer resume.
     */
    public boolean peerTakesItemExtensions() {
        return (peerFeatures & io.udpix.wire.CapabilityBlock.FEATURE_ITEM_EXTENSIONS) != 0;
    }

    /** The peer's FEATURES bits from its capability block; set by the handshake before the connection is up. */
    public void onPeerFeatures(long features) {
        peerFeatures = features;
    }

    /** Whether the peer takes frame streams (it set FEATURES bit STREAMS in the handshake). */
    public boolean peerTakesStreams() {
        return peerTakesStreams;
    }

    /** The peer's stream limits (its STREAM_LIMITS or the defaults), or null when it takes no streams. */
    public StreamLimits peerStreamLimits() {
        return peerStreamLimits;
    }

    /** From ServerHandshakes; see {@link #handshakeRttNs}. */
    public void onHandshakeRtt(long rttNs) {
        handshakeRttNs = Math.max(0, rttNs);
    }

    /**
     * What the peer's capability block said about streams (null: it takes none); set by the handshake, on the
     * server from the client's FINISH.
     */
    public void onPeerStreamLimits(StreamLimits limits) {
        peerStreamLimits = limits;
        peerTakesStreams = limits != null;
        // Section 5.8.1: to a peer without STREAMS no STREAM_OPEN goes; its streams end at once with this reason.
        String noStreams = "the " + (client ? "server" : "client") + " at " + peer + " does not take frame streams:"
                + " it runs an older udpix (or is configured not to take streams); upgrade it or enable streams there";
        if (limits == null) {
            outStreams.onPeerLimits(false, 0, 0, 0, 0, noStreams);
        } else {
            outStreams.onPeerLimits(true, limits.maxStreams(), limits.maxFrameBytes(),
                    limits.latencyMinMs() * 1_000_000L, limits.latencyMaxMs() * 1_000_000L, noStreams);
        }
    }

    /** Hands a frame to one of our streams; see {@code Endpoint.sendFrame}. */
    public io.udpix.engine.stream.FrameAdmission sendFrame(int streamId, byte[] frame, long captureNs, long nowNs) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return io.udpix.engine.stream.FrameAdmission.REFUSED;
        }
        return outStreams.submit(streamId, frame, captureNs);
    }

    /** Ends one of our streams ({@code incoming} false) or stops taking one of the peer's. */
    public void closeStream(int streamId, boolean incoming, long nowNs) {
        if (incoming) {
            closeIncomingStream(streamId);
            return;
        }
        outStreams.close(streamId);
    }

    /** Stops taking the peer's stream: STREAM_CLOSE (REFUSED) goes to the sender, StreamEnded (OK) to us. */
    private void closeIncomingStream(int streamId) {
        if (state == State.ESTABLISHED) {
            incomingStreams.stop(Integer.toUnsignedLong(streamId), "");
        }
    }

    /** Adds a snapshot of each of this connection's streams to {@code out}. */
    public void addStreamStats(java.util.List<io.udpix.engine.stream.StreamStats> out, long nowNs) {
        addIncomingStreamStats(out);
        addOutgoingStreamStats(out);
    }

    private void addIncomingStreamStats(java.util.List<io.udpix.engine.stream.StreamStats> out) {
        incomingStreams.addStats(out);
    }

    /**
     * The receiver of one of our streams refused or stopped it (its STREAM_CLOSE with FROM_RECEIVER): it ends with
     * the receiver's code and reason. Our stream ids are positive ints, so a larger u32 names no stream of ours.
     */
    void onOutgoingStreamStopped(long streamId, int code, String reason, long nowNs) {
        if (streamId >= 0 && streamId <= Integer.MAX_VALUE) {
            outStreams.onPeerClosed((int) streamId, code, reason);
        }
    }

    /** The sender's half of {@link #addStreamStats}: our streams, with the pacing rate as the available rate. */
    private void addOutgoingStreamStats(java.util.List<io.udpix.engine.stream.StreamStats> out) {
        outStreams.addStats(out, cc.pacingRateBytesPerSecond());
    }

    /**
     * The RTT for stream deadline decisions ("can a packet sent now still arrive in time", section 5.8.4):
     * min(smoothed RTT, latest sample), or 0 before any sample (optimistic: nothing is given up unmeasured). The
     * smoothed RTT alone follows a one-off high sample for many round trips (weight 1/8, RFC 9002 section 5.3): a
     * handshake sample that includes a cold peer's first key work (hundreds of ms) would keep every frame from
     * starting under a 150 ms budget long after fresh samples show a fast path. Loss detection takes the
     * conservative max(smoothed, latest) (RFC 9002 section 6.1.2); "may it still arrive" takes the mirror, the min.
     */
    long streamRttNs() {
        var rtt = recovery.rtt();
        return rtt.hasSample() ? Math.min(rtt.rttNsSmoothed(), rtt.latestRttNs()) : 0;
    }

    /** When a PING last went to get a fresh RTT sample for our streams (see {@link #probeStreamRttIfStarved}). */
    private long lastStreamRttPingNs = Long.MIN_VALUE;

    /**
     * A stream dropped a frame at the source because the RTT estimate said it could not arrive in time: make sure a
     * fresh RTT sample comes, or the estimate would never improve (no frame starts, so nothing ack-eliciting goes
     * and no acknowledgement samples the path; RFC 9002 section 5.1 samples only ack-eliciting packets). A PING
     * goes when nothing ack-eliciting is outstanding, at most once per smoothed RTT.
     */
    void probeStreamRttIfStarved(long nowNs) {
        if (!outStreams.takeRttStarved() || recovery.unacknowledgedSinceNs() != Long.MAX_VALUE) {
            return;
        }
        long srttNs = recovery.rtt().rttNsSmoothed();
        if (lastStreamRttPingNs == Long.MIN_VALUE || nowNs - lastStreamRttPingNs >= srttNs) {
            lastStreamRttPingNs = nowNs;
            pingPending = true;
        }
    }

    // ---------------------------------------------------------------- driver-facing calls

    /**
     * A DATA packet for this connection, still sealed: {@code end} includes the AEAD tag. It is opened in place,
     * then checked against the replay window (after authentication, so forgeries cannot move the window).
     */
    public void handleDataPacket(InetSocketAddress from, ByteBuffer buf, int start, int end, long nowNs) {
        handleDataPacket(from, buf, start, end, nowNs, nowNs);
    }

    /**
     * A DATA packet that arrived at {@code arrivalNs} but is read only now (the server kept it until FINISH created
     * this connection): everything happens at {@code nowNs}, only stream clock samples use the true arrival.
     */
    public void handleDataPacket(InetSocketAddress from, ByteBuffer buf, int start, int end, long nowNs,
            long arrivalNs) {
        if (!from.equals(peer)) {
            endpointStats.count(DropReason.WRONG_PEER);
            return;
        }
        if (state == State.CLOSED || protection == null) {
            endpointStats.count(DropReason.UNEXPECTED_TYPE);
            return;
        }
        if (!buf.hasArray() && protection.overheadBytes() > 0) {
            // Open and parse on a heap copy: one copy instead of the cipher's two (see HeapStage).
            // One fixed size (any UDP payload fits), whatever the capacity of the driver's view: no re-wrapping.
            ByteBuffer stage = OPEN_STAGE.view(Math.max(OPEN_STAGE_BYTES, end - start));
            stage.put(0, buf, start, end - start).limit(end - start);
            buf = stage;
            end -= start;
            start = 0;
        }
        if (!protection.open(buf, start, end)) {
            endpointStats.count(DropReason.AUTHENTICATION_FAILED);
            stats.countCorrupt();
            return;
        }
        long pn = io.udpix.wire.BigEndian.getU32(buf, start + io.udpix.wire.PacketHeader.PACKET_NUMBER_OFFSET);
        if (!replay.accept(pn)) {
            endpointStats.count(DropReason.REPLAY);
            stats.inc(ConnectionStats.DUPLICATE_PACKETS);
            return;
        }
        if (handshake != null) {
            handshake.onFinishConfirmed();
        }
        if (arrivalNs == nowNs) {
            reader.read(buf, start, end - protection.overheadBytes(), nowNs);
            return;
        }
        incomingStreams.arrivalLagNs(nowNs - arrivalNs);
        try {
            reader.read(buf, start, end - protection.overheadBytes(), nowNs);
        } finally {
            incomingStreams.arrivalLagNs(0);
        }
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
        d = Math.min(d, incoming.sinkRetryDeadlineNs());
        d = Math.min(d, incomingStreams.wakeNs()); // a frame's deadline is a timer (section 5.8.5)
        if (!outStreams.isEmpty()) {
            d = Math.min(d, outStreams.nextTimerNs(streamRttNs()));
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
        incoming.retryBlockedSinksIfDue(nowNs);
        incomingStreams.onTimeout(nowNs);
        if (!outStreams.isEmpty()) {
            outStreams.sweep(nowNs, streamRttNs(), cc.pacingRateBytesPerSecond());
            probeStreamRttIfStarved(nowNs);
        }
        if (nowNs >= stallTimer.deadlineNs()) {
            stallTimer.fire(this, nowNs, config.stallTimeoutNs);
        }
    }

    /**
     * The outcome of a commit a sink ran off the engine's thread ({@link TransferSink#commitsLater}): the RESULT
     * is sent now (and the transfer's end event emitted). Ignored when the transfer is gone (the connection closed
     * meanwhile) or was not committing; returns whether it was taken.
     */
    public boolean completeCommit(TransferSink sink, int code, String reason, long nowNs) {
        return incoming.completeCommit(sink, code, reason, nowNs);
    }

    // ---------------------------------------------------------------- shared helpers for reader and writer

    /** Every transfer fails with {@code code}: outgoing and queued ones first, then incoming ones. */
    void failAllTransfers(int code, String reason) {
        outStreams.endAll(code, reason);
        outgoing.failAll(code, reason);
        incoming.failAll(code, reason);
        incomingStreams.endAll(code, reason);
    }

    /** The peer closed (CLOSE frame or RESET): everything ends now. */
    void peerClosed(int code, String reason) {
        failAllTransfers(code == ErrorCode.OK ? ErrorCode.CLOSED : code,
                reason.isEmpty() ? "the peer closed the connection" : "the peer closed the connection: " + reason);
        trace.closing(code, false, Long.MIN_VALUE); // the last time seen stands (no clock here)
        enterClosed(code, reason);
    }

    void enterClosed(int code, String reason) {
        if (state != State.CLOSING) { // CLOSING already holds the code and reason it closes with
            closeCode = code;
            closeReason = reason;
        }
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
        outgoing.peerMaxTransfers = Math.max(1, maxTransfers);
        outgoing.peerInitialCreditBytes = Math.max(OutgoingTransfer.INITIAL_CREDIT_BYTES, initialWindowBytes);
        events.emit(new ConnectionEstablished(localId, peer), true);
        outgoing.promoteQueued(nowNs);
    }
}
