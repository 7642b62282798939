package io.udpix.engine;

import io.udpix.engine.connection.Connection;
import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.connection.EventSink;
import io.udpix.engine.connection.ReassemblyBudget;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.metrics.Counters;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.util.LongObjectMap;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketProtection;
import io.udpix.wire.PacketType;
import io.udpix.wire.ResetPacket;
import io.udpix.wire.VersionPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The udpix protocol engine for one UDP socket: demultiplexes datagrams to connections by connection ID, runs the
 * server side of the Noise handshake ({@link ServerHandshakes}), answers unknown connection IDs with a RESET that
 * carries the reset token, and drives every connection's timers. DATA packets are AEAD-sealed per connection;
 * handshake packets carry a CRC32C (the Noise messages inside carry their own tags).
 *
 * <p>Sans-I/O: no sockets, threads or clock reads; a driver or the simulator calls it. Never throws on any input:
 * a datagram that fails to parse, fails its check or breaks a limit is dropped and counted in {@link #stats()}.
 * One endpoint can be a server (accepting connections), a client (connecting out), or both.
 */
public final class Endpoint implements SansIoEndpoint {
    /** Versions this engine speaks, sent in VERSION replies. */
    static final int[] SUPPORTED_VERSIONS = {PacketHeader.VERSION};
    /** Stateless replies (RETRY, ACCEPT repeats, VERSION, RESET) queued at most; more are dropped and counted. */
    static final int MAX_QUEUED_REPLIES = 64;
    /** Largest stateless reply (an ACCEPT is about 200 bytes). */
    static final int MAX_REPLY_BYTES = 512;
    /** RFC 9000 section 8: never send more than this many times the bytes received from an unvalidated address. */
    static final int AMPLIFICATION_FACTOR = 3;

    private final EndpointConfig config;
    private final SinkFactory sinks;
    private final EndpointStats stats;
    private final LongObjectMap<Connection> connections = new LongObjectMap<>();
    private final ReassemblyBudget budget;
    private final PeerShares shares;
    private final PacketProtection protection = new Crc32cProtection();
    private final StaticKeyPair staticKey;
    private final ServerHandshakes serverHandshakes;
    /** Client connections by the server's connection id, so a RESET naming it finds them (RFC 9000 10.3). */
    private final LongObjectMap<Connection> byPeerId = new LongObjectMap<>();
    private final SplittableRandom random;
    private final ArrayDeque<EndpointEvent> events = new ArrayDeque<>();
    private final EventSink eventSink = this::emit;
    private long droppedProgressEvents;
    /** FrameReceived events queued now (each holds a frame's bytes). */
    private int queuedFrames;
    private long droppedFrameEvents;
    /** Delivered frames waiting for the application at most; older ones give way (latest wins). */
    public static final int MAX_QUEUED_FRAMES = 32;
    private final PacketHeader header = new PacketHeader();
    private final ResetPacket reset = new ResetPacket();
    private final byte[] tokenScratch = new byte[ResetPacket.TOKEN_LENGTH];

    private final byte[][] replyBytes = new byte[MAX_QUEUED_REPLIES][MAX_REPLY_BYTES];
    private final int[] replyLengths = new int[MAX_QUEUED_REPLIES];
    private final InetSocketAddress[] replyTargets = new InetSocketAddress[MAX_QUEUED_REPLIES];
    private int replyHead;
    private int replyCount;
    private final ByteBuffer replyScratch = ByteBuffer.allocate(MAX_REPLY_BYTES);

    private Connection[] pollOrder = new Connection[0];
    private boolean pollOrderStale = true;
    private int pollIndex;
    private long nowNsLast;

    /**
     * An endpoint with {@code config}; incoming items go to sinks from {@code sinks} (use
     * {@link SinkFactory#refuseAll()} for a pure client).
     */
    public Endpoint(EndpointConfig config, SinkFactory sinks) {
        this.config = config;
        this.sinks = sinks;
        this.stats = new EndpointStats(config.maxConnections);
        this.shares = new PeerShares(config);
        this.budget = new ReassemblyBudget(config.maxReassemblyBytes, shares);
        this.random = new SplittableRandom(config.seed);
        this.staticKey = config.staticKey != null ? config.staticKey : StaticKeyPair.generate(config.secureRandom);
        this.serverHandshakes = new ServerHandshakes(this, config, stats, new ResetTokens(staticKey));
    }

    /** This endpoint's static key: the identity it proves in every handshake. */
    public StaticKeyPair staticKey() {
        return staticKey;
    }

    /** Handshakes waiting for FINISH (server side). */
    public int halfOpenCount() {
        return serverHandshakes.halfOpenCount();
    }

    /** The peer's static key proven in the handshake of {@code connectionId}, or null. */
    public byte[] peerStaticKey(long connectionId) {
        Connection c = connections.get(connectionId);
        return c == null ? null : c.peerStaticKey();
    }

    Connection connection(long id) {
        return connections.get(id);
    }

    PacketProtection handshakeProtection() {
        return protection;
    }

    Connection newServerConnection(long serverId, long clientId, InetSocketAddress from, int helloSizeBytes,
            int peerMaxDatagramBytes, long peerIdleTimeoutMs, PacketCipher cipher, byte[] clientKey,
            boolean announce, long nowNs) {
        Connection c = Connection.server(serverId, clientId, from, helloSizeBytes, peerMaxDatagramBytes,
                peerIdleTimeoutMs, config, stats, eventSink, sinks, budget, protection, staticKey, cipher, clientKey,
                announce, nowNs);
        connections.put(serverId, c);
        pollOrderStale = true;
        return c;
    }

    /** The configuration. */
    public EndpointConfig config() {
        return config;
    }

    /** Endpoint-wide counters. */
    public EndpointStats stats() {
        return stats;
    }

    /** The registry of {@link #stats()}: the endpoint's, its connections' and its driver's figures. */
    @Override
    public Counters counters() {
        return stats.counters();
    }

    /** Connections currently kept. */
    public int connectionCount() {
        return connections.size();
    }

    /** Reassembly memory reserved by incoming transfers now. */
    public long reassemblyBytesInUse() {
        return budget.usedBytes();
    }

    /** Each peer address's share of the global limits, and what it holds now. */
    public PeerShares peerShares() {
        return shares;
    }

    /** Progress events dropped because the event queue was full. */
    public long droppedProgressEvents() {
        return droppedProgressEvents;
    }

    /** FrameReceived events dropped (the oldest queued ones) because the application did not poll in time. */
    public long droppedFrameEvents() {
        return droppedFrameEvents;
    }

    /**
     * A delivered stream frame: latest wins (docs/PROTOCOL.md section 5.8.5). At most {@link #MAX_QUEUED_FRAMES}
     * wait for the application, because each holds a whole frame (up to maxFrameBytes): beyond it, or with the queue
     * full, the oldest queued frame is dropped and counted, so a slow application sees the newest frames, never a
     * growing backlog.
     */
    private void queueFrame(EndpointEvent frame) {
        if (queuedFrames >= MAX_QUEUED_FRAMES || events.size() >= config.maxQueuedEvents) {
            for (java.util.Iterator<EndpointEvent> it = events.iterator(); it.hasNext(); ) {
                if (it.next() instanceof io.udpix.engine.event.FrameReceived) {
                    it.remove();
                    queuedFrames--;
                    droppedFrameEvents++;
                    break;
                }
            }
            if (events.size() >= config.maxQueuedEvents) {
                droppedFrameEvents++; // the queue is full of essential events: this frame cannot wait
                return;
            }
        }
        events.add(frame);
        queuedFrames++;
    }

    // ------------------------------------------------------------------ application API

    /** Starts a connection to {@code server}; returns its local ID. Events report when it is established. */
    public long connect(InetSocketAddress server, long nowNs) {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0 || connections.get(id) != null);
        Connection c = Connection.client(id, server, config, stats, eventSink, sinks, budget, protection, staticKey,
                nowNs);
        connections.put(id, c);
        pollOrderStale = true;
        return id;
    }

    /**
     * Queues an item on connection {@code connectionId}; returns the transfer ID, or -1 when it cannot be queued
     * (a TransferFailed event says why).
     */
    public int send(long connectionId, TransferRequest request, long nowNs) {
        Connection c = connections.get(connectionId);
        if (c == null) {
            return -1;
        }
        return c.send(request, nowNs);
    }

    /** Why connection {@code connectionId} is closing or closed, or null while it is open or unknown. */
    public io.udpix.engine.event.ConnectionClosed closeCause(long connectionId) {
        Connection c = connections.get(connectionId);
        return c == null ? null : c.closeCause();
    }

    /** Cancels a transfer (ours, or one we receive). */
    public void cancel(long connectionId, int transferId, boolean incoming, String reason, long nowNs) {
        Connection c = connections.get(connectionId);
        if (c != null) {
            c.cancel(transferId, incoming, reason, nowNs);
        }
    }

    /**
     * Reports the outcome of a commit that {@code sink} ran off this thread ({@link
     * io.udpix.engine.transfer.TransferSink#commitsLater}); the sender gets it as the transfer's RESULT. Call it on
     * the engine's thread (a driver's execute). Returns true when the RESULT is now queued and the transfer's
     * TransferCompleted or TransferFailed event emitted; false (ignored) when the connection or transfer is gone.
     */
    public boolean completeCommit(long connectionId, io.udpix.engine.transfer.TransferSink sink, int code,
            String reason, long nowNs) {
        Connection c = connections.get(connectionId);
        return c != null && c.completeCommit(sink, code, reason, nowNs);
    }

    /**
     * Opens a frame stream on connection {@code connectionId} towards its peer (docs/PROTOCOL.md section 4.13);
     * returns the stream id, or -1 when it cannot be opened (unknown or closing connection, the peer does not take
     * streams, too many streams): a {@code StreamEnded} event then says why.
     */
    public int openStream(long connectionId, io.udpix.engine.stream.StreamParams params, long nowNs) {
        Connection c = connections.get(connectionId);
        return c == null ? -1 : c.openStream(params, nowNs);
    }

    /**
     * Hands a frame to a stream; never waits for the network. The engine keeps {@code frame} (do not change it
     * afterwards). {@code captureNs} is when it was captured, on this endpoint's clock (the same one as nowNs).
     * At most one frame that has not started to go is kept per stream: a newer one replaces it (latest wins).
     */
    public io.udpix.engine.stream.FrameAdmission sendFrame(long connectionId, int streamId, byte[] frame,
            long captureNs, long nowNs) {
        Connection c = connections.get(connectionId);
        return c == null ? io.udpix.engine.stream.FrameAdmission.REFUSED
                : c.sendFrame(streamId, frame, captureNs, nowNs);
    }

    /**
     * What the peer of {@code connectionId} takes in frame streams (its STREAM_LIMITS, docs/PROTOCOL.md 5.8.1), or
     * null when it does not take streams, the handshake has not told yet, or there is no such connection.
     */
    public io.udpix.engine.stream.StreamLimits peerStreamLimits(long connectionId) {
        Connection c = connections.get(connectionId);
        return c == null ? null : c.peerStreamLimits();
    }

    /** Ends one of our streams (or stops taking one of the peer's); the peer is told with STREAM_CLOSE. */
    public void closeStream(long connectionId, int streamId, boolean incoming, long nowNs) {
        Connection c = connections.get(connectionId);
        if (c != null) {
            c.closeStream(streamId, incoming, nowNs);
        }
    }

    /** Figures of every stream on every connection, both directions, as of {@code nowNs}. */
    public List<io.udpix.engine.stream.StreamStats> allStreamStats(long nowNs) {
        List<io.udpix.engine.stream.StreamStats> all = new java.util.ArrayList<>();
        for (Connection c : connections.values()) {
            c.addStreamStats(all, nowNs);
        }
        return all;
    }

    /** Closes a connection, telling the peer. */
    public void close(long connectionId, int code, String reason, long nowNs) {
        Connection c = connections.get(connectionId);
        if (c != null) {
            c.close(code, reason, nowNs);
        }
    }

    /** Closes every connection (shutdown). */
    public void closeAll(int code, String reason, long nowNs) {
        for (Connection c : connections.values()) {
            c.close(code, reason, nowNs);
        }
    }

    /** Statistics of one connection, or null if unknown. */
    public ConnectionStats.Snapshot connectionStats(long connectionId) {
        Connection c = connections.get(connectionId);
        return c == null ? null : c.snapshot();
    }

    /** Slots of a connection's sent-packet ring now, or -1 if unknown (tests of memory per connection). */
    int sentPacketSlots(long connectionId) {
        Connection c = connections.get(connectionId);
        return c == null ? -1 : c.sentPacketSlots();
    }

    /**
     * Whether a connection holds a RESULT not sent yet: RESULTs that follow one another wait briefly (at most
     * srtt/8, never beyond max_ack_delay) to share a packet with an acknowledgement. A server about to close waits
     * for these as for RESULTs in flight.
     */
    public boolean owesResults() {
        for (Connection c : connections.values()) {
            if (c.owesResults()) {
                return true;
            }
        }
        return false;
    }

    /** Statistics of every connection. */
    public List<ConnectionStats.Snapshot> allConnectionStats() {
        return connections.values().stream().map(Connection::snapshot).toList();
    }

    @Override
    public EndpointEvent pollEvent() {
        EndpointEvent e = events.poll();
        if (e instanceof io.udpix.engine.event.FrameReceived) {
            queuedFrames--;
        }
        return e;
    }

    /**
     * Queues an event. Progress events beyond {@code maxQueuedEvents} are dropped and counted. Essential ones
     * (established, started, completed, failed, closed) never are, because an application waits on them; their
     * number between two polls is bounded by the work done in between: each OPEN yields at most two (started and
     * completed/failed; at most 64 OPENs per packet), and each connection at most two of its own plus two per transfer
     * it holds (bounded by maxIncomingTransfers, the peer's maxTransfers and maxQueuedSends). Drivers poll events on
     * every pass, after a bounded burst of datagrams.
     */
    private void emit(EndpointEvent event, boolean essential) {
        if (event instanceof io.udpix.engine.event.FrameReceived) {
            queueFrame(event);
            return;
        }
        stats.countEvent(event);
        if (!essential && events.size() >= config.maxQueuedEvents) {
            droppedProgressEvents++;
            return;
        }
        events.add(event);
    }

    // ------------------------------------------------------------------ SansIoEndpoint

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        nowNsLast = nowNs;
        try {
            receive(from, datagram, nowNs);
        } catch (RuntimeException e) {
            // The engine validates before it acts, so this is a bug; count it rather than take the server down.
            stats.count(DropReason.MALFORMED);
            stats.countInternalError();
        }
    }

    private void receive(InetSocketAddress from, ByteBuffer buf, long nowNs) {
        int start = buf.position();
        int end = buf.limit();
        int length = end - start;
        stats.countReceived(length);
        if (from == null || length < PacketHeader.LENGTH + protection.overheadBytes()
                || !PacketHeader.hasMagic(buf, start, end)) {
            stats.count(DropReason.MALFORMED);
            return;
        }
        header.wrap(buf, start);
        int version = header.version();
        int type = header.type();
        if (version != PacketHeader.VERSION) {
            if (version == VersionPacket.HEADER_VERSION && type == PacketType.VERSION) {
                handleVersionReply(from, buf, start, end, nowNs);
                return;
            }
            stats.count(DropReason.UNSUPPORTED_VERSION);
            long dcid = header.connectionId();
            replyVersion(from, dcid, length);
            return;
        }
        if (type == PacketType.DATA) {
            handleData(from, buf, start, end, length, nowNs);
            return;
        }
        if (!protection.open(buf, start, end)) {
            stats.count(DropReason.BAD_CHECKSUM);
            return;
        }
        int payloadEnd = end - protection.overheadBytes();
        switch (type) {
            case PacketType.HELLO -> serverHandshakes.handleHello(from, buf, start, payloadEnd, length, nowNs);
            case PacketType.FINISH -> serverHandshakes.handleFinish(from, buf, start, payloadEnd, nowNs);
            case PacketType.RESET -> handleReset(from, type, buf, start, payloadEnd, nowNs);
            case PacketType.RETRY, PacketType.ACCEPT -> {
                Connection c = connections.get(header.connectionId());
                if (c == null) {
                    stats.count(DropReason.UNKNOWN_CONNECTION);
                    return;
                }
                c.handleHandshakePacket(from, type, buf, start, payloadEnd, nowNs);
                if (c.isClient() && !c.inHandshake() && c.peerId() != 0 && !c.isClosed()) {
                    byPeerId.put(c.peerId(), c);
                }
            }
            default -> stats.count(DropReason.UNEXPECTED_TYPE);
        }
    }

    private void handleData(InetSocketAddress from, ByteBuffer buf, int start, int end, int length, long nowNs) {
        long dcid = header.connectionId();
        Connection c = connections.get(dcid);
        if (c != null) {
            c.handleDataPacket(from, buf, start, end, nowNs);
            c.publishStats(); // ACKs move RTT, window and bytes in flight
            return;
        }
        if (serverHandshakes.bufferEarlyData(from, dcid, buf, start, end, nowNs)) {
            // FINISH has not arrived (lost, or overtaken): no keys yet. Kept (a bounded few) to replay right after
            // FINISH, as RFC 9001 section 4.1.4 allows; beyond the bound dropped, unacknowledged, so sent again.
            return;
        }
        stats.count(DropReason.UNKNOWN_CONNECTION);
        // RFC 9000 section 10.3: a RESET with the token for the id the packet named, never larger than the packet.
        replyReset(from, dcid, ErrorCode.UNKNOWN_CONNECTION, serverHandshakes.resetToken(dcid, tokenScratch),
                length);
    }

    /** A DATA datagram kept by a half-open handshake, handed to its connection right after FINISH created it. */
    void replayEarlyData(Connection c, InetSocketAddress from, ByteBuffer datagram, long arrivalNs, long nowNs) {
        c.handleDataPacket(from, datagram, 0, datagram.capacity(), nowNs, arrivalNs);
        c.publishStats();
    }

    /** Bytes of DATA that half-open handshakes keep for replay after their FINISH (tests of the bound). */
    int earlyDataBytes() {
        return serverHandshakes.earlyDataBytes();
    }

    /** Bytes of DATA the half-open handshakes of {@code address} keep for replay (its share of the above). */
    int earlyDataBytes(java.net.InetAddress address) {
        return serverHandshakes.earlyDataBytes(address);
    }

    /**
     * RESET: during a client's handshake it is the server's refusal of our HELLO (no keys exist yet, so it cannot
     * be authenticated; the handshake timeout bounds what a forged one can do). Afterwards it must name the
     * server's connection id and carry the reset token the server sent in the encrypted ACCEPT. Never answered.
     */
    private void handleReset(InetSocketAddress from, int type, ByteBuffer buf, int start, int payloadEnd,
            long nowNs) {
        long dcid = header.connectionId();
        Connection c = connections.get(dcid);
        if (c != null && c.isClient() && c.inHandshake()) {
            c.handleHandshakePacket(from, type, buf, start, payloadEnd, nowNs);
            return;
        }
        Connection byPeer = byPeerId.get(dcid);
        if (byPeer != null && byPeer.peer().equals(from) && ResetPacket.check(buf, start, payloadEnd) >= 0
                && byPeer.onStatelessReset(buf, reset.wrap(buf, start).tokenIndex())) {
            return;
        }
        stats.count(DropReason.BAD_RESET_TOKEN);
    }

    private void handleVersionReply(InetSocketAddress from, ByteBuffer buf, int start, int end, long nowNs) {
        if (!protection.open(buf, start, end)) {
            stats.count(DropReason.BAD_CHECKSUM);
            return;
        }
        Connection c = connections.get(header.connectionId());
        if (c == null) {
            stats.count(DropReason.UNKNOWN_CONNECTION);
            return;
        }
        c.handleHandshakePacket(from, PacketType.VERSION, buf, start, end - protection.overheadBytes(), nowNs);
    }

    private void replyVersion(InetSocketAddress from, long connectionId, int receivedBytes) {
        replyScratch.clear();
        int n = VersionPacket.encode(replyScratch, 0, connectionId, SUPPORTED_VERSIONS, SUPPORTED_VERSIONS.length);
        n = protection.seal(replyScratch, 0, n);
        queueReply(from, n, receivedBytes);
    }

    /** A RESET naming {@code connectionId} with {@code token} (null: zeros), never larger than what it answers. */
    void replyReset(InetSocketAddress from, long connectionId, int code, byte[] token, int receivedBytes) {
        if (connectionId == 0) {
            return;
        }
        if (ResetPacket.LENGTH + protection.overheadBytes() > receivedBytes) {
            stats.count(DropReason.REPLY_TOO_LARGE); // a RESET must not be a way to get more bytes back
            return;
        }
        replyScratch.clear();
        int n = ResetPacket.encode(replyScratch, 0, connectionId, code, token);
        n = protection.seal(replyScratch, 0, n);
        queueReply(from, n, receivedBytes);
    }

    /** Queues a stateless reply of {@code n} bytes from {@code src} if the 3x rule and the queue allow. */
    boolean queueReply(InetSocketAddress to, ByteBuffer src, int n, int receivedBytes) {
        if (n > AMPLIFICATION_FACTOR * receivedBytes) {
            stats.count(DropReason.AMPLIFICATION_LIMIT);
            return false;
        }
        if (replyCount == MAX_QUEUED_REPLIES) {
            stats.count(DropReason.REPLY_QUEUE_FULL);
            return false;
        }
        int slot = (replyHead + replyCount) % MAX_QUEUED_REPLIES;
        src.get(0, replyBytes[slot], 0, n);
        replyLengths[slot] = n;
        replyTargets[slot] = to;
        replyCount++;
        return true;
    }

    /** Queues a stateless reply of {@code n} bytes in {@link #replyScratch} if the 3x rule and the queue allow. */
    private boolean queueReply(InetSocketAddress to, int n, int receivedBytes) {
        return queueReply(to, replyScratch, n, receivedBytes);
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        nowNsLast = nowNs;
        try {
            return transmit(dst, nowNs);
        } catch (RuntimeException e) {
            stats.countInternalError();
            return null;
        }
    }

    private InetSocketAddress transmit(ByteBuffer dst, long nowNs) {
        dst.clear();
        if (replyCount > 0) {
            int slot = replyHead;
            replyHead = (replyHead + 1) % MAX_QUEUED_REPLIES;
            replyCount--;
            int n = replyLengths[slot];
            dst.put(0, replyBytes[slot], 0, n);
            dst.position(0).limit(n);
            InetSocketAddress to = replyTargets[slot];
            replyTargets[slot] = null;
            countSent(n);
            return to;
        }
        refreshPollOrder();
        int count = pollOrder.length;
        for (int k = 0; k < count; k++) {
            int idx = (pollIndex + k) % count;
            Connection c = pollOrder[idx];
            if (c.isClosed()) {
                continue;
            }
            dst.clear();
            int n = c.poll(dst, nowNs);
            if (n > 0) {
                pollIndex = (idx + 1) % count;
                dst.position(0).limit(n);
                // No publishStats here: sending moves only bytes in flight, and the next ACK or timer publishes
                // every path figure; doing it per datagram sent doubled the registry stores on the hot path.
                countSent(n);
                return c.peer();
            }
        }
        removeClosed();
        return null;
    }

    private void countSent(int n) {
        stats.countSent(n);
    }

    private void refreshPollOrder() {
        if (pollOrderStale) {
            pollOrder = connections.values().toArray(new Connection[0]);
            pollOrderStale = false;
            pollIndex = 0;
        }
    }

    private void removeClosed() {
        boolean any = false;
        for (Connection c : pollOrder) {
            if (c.isClosed()) {
                connections.remove(c.localId());
                c.releaseStats();
                if (c.isClient() && byPeerId.get(c.peerId()) == c) {
                    byPeerId.remove(c.peerId());
                }
                if (!c.isClient() && c.holdsPeerShare()) {
                    shares.releaseConnection(c.peer());
                }
                any = true;
            }
        }
        if (any) {
            pollOrderStale = true;
        }
    }

    @Override
    public long nextDeadlineNs() {
        if (replyCount > 0) {
            return nowNsLast;
        }
        refreshPollOrder();
        long d = serverHandshakes.nextDeadlineNs();
        for (Connection c : pollOrder) {
            d = Math.min(d, c.nextDeadlineNs());
        }
        return d;
    }

    @Override
    public void handleTimeout(long nowNs) {
        nowNsLast = nowNs;
        try {
            serverHandshakes.expire(nowNs);
            refreshPollOrder();
            for (Connection c : pollOrder) {
                if (c.nextDeadlineNs() <= nowNs) {
                    c.onTimeout(nowNs);
                    c.publishStats();
                }
            }
            removeClosed();
        } catch (RuntimeException e) {
            stats.countInternalError();
        }
    }
}
