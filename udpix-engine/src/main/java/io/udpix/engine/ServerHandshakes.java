package io.udpix.engine;

import io.udpix.engine.connection.Connection;
import io.udpix.engine.connection.HandshakeParams;
import io.udpix.engine.crypto.HandshakeState;
import io.udpix.engine.crypto.NoiseException;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.wire.AcceptPacket;
import io.udpix.wire.Cookie;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.FinishPacket;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.ResetPacket;
import io.udpix.wire.RetryPacket;
import io.udpix.engine.util.LongObjectMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's side of the handshake. HELLO (Noise message 1) is answered at once with ACCEPT (message 2), one
 * round trip as in QUIC, unless the server is under handshake load: more than half of {@code maxHalfOpen}
 * handshakes half-open, this address's share ({@code maxHalfOpenPerAddress}) used up, or the token bucket of
 * {@code handshakesPerSecond} Diffie-Hellman operations empty. Then a stateless RETRY with a cookie comes first
 * (RFC 9000 section 8.1.2), and the cookie is checked before any Diffie-Hellman work.
 *
 * <p>A half-open handshake keeps only its Noise state and the ACCEPT it sent (a few hundred bytes) in a bounded
 * table, for a repeated HELLO and for FINISH, and expires after twice the handshake timeout. The {@link Connection} is
 * created when FINISH (message 3) proves the client's key; if {@code clientKeyPolicy} refuses that key the
 * connection exists only to send the refusal as an encrypted CLOSE.
 *
 * <p>DATA that arrives before FINISH (the client sends FINISH and its first flight together; FINISH was lost or
 * overtaken) cannot be opened yet: a half-open handshake keeps a bounded few of them and they are read right after
 * FINISH creates the connection (RFC 9001 section 4.1.4), so a lost FINISH does not cost the whole first flight.
 */
final class ServerHandshakes {
    /** One handshake between ACCEPT and FINISH. */
    private static final class HalfOpen {
        final long serverId;
        final long clientId;
        final InetSocketAddress peer;
        final HandshakeState noise;
        final byte[] accept;
        final int helloSizeBytes;
        final int peerMaxDatagramBytes;
        final long peerIdleTimeoutMs;
        final long expiresNs;
        /**
         * When the latest ACCEPT went: FINISH's arrival minus this is the handshake's RTT (more if FINISH was lost
         * and resent). The latest, not the first: after a lost ACCEPT the FINISH answers the copy sent again, and
         * the first's time would add the client's HELLO timeout (docs/PROTOCOL.md 5.8.3).
         */
        long acceptSentNs;
        boolean gone;
        /**
         * DATA datagrams that arrived before FINISH (lost or overtaken), kept to replay once FINISH makes the
         * connection (see {@link #bufferEarlyData}). Null until the first one: most handshakes never need it.
         */
        ByteBuffer[] early;
        long[] earlyArrivalNs;
        int earlyCount;
        int earlyBytes;

        HalfOpen(long serverId, long clientId, InetSocketAddress peer, HandshakeState noise, byte[] accept,
                int helloSizeBytes, int peerMaxDatagramBytes, long peerIdleTimeoutMs, long expiresNs) {
            this.serverId = serverId;
            this.clientId = clientId;
            this.peer = peer;
            this.noise = noise;
            this.accept = accept;
            this.helloSizeBytes = helloSizeBytes;
            this.peerMaxDatagramBytes = peerMaxDatagramBytes;
            this.peerIdleTimeoutMs = peerIdleTimeoutMs;
            this.expiresNs = expiresNs;
        }
    }

    /**
     * A half-open handshake is kept for twice the handshake timeout: a client may get its ACCEPT just before its
     * own timeout, and its FINISH (or a repeat of it) must still find the entry rather than earn a RESET.
     */
    static final int HALF_OPEN_LIFETIME_TIMEOUTS = 2;

    /**
     * DATA datagrams one half-open handshake keeps while its FINISH is missing (RFC 9001 section 4.1.4 and RFC 9000
     * section 5.7 let a server buffer a limited number of packets it cannot decrypt yet). The client sends FINISH
     * and its first flight together; without this a lost FINISH costs the whole flight (a stream's first frames).
     * The first flight is one initial congestion window (32 datagrams, {@code Bbr.INITIAL_CWND_PACKETS}) plus a
     * few: 16 measured kept only half of it and the stream still lost its first 4 frames.
     */
    static final int MAX_EARLY_DATAGRAMS = 40;
    /**
     * Bytes of such datagrams one address's half-open handshakes keep together (its share of the total): about
     * four first flights of 1472-byte datagrams.
     */
    static final int MAX_EARLY_BYTES_PER_ADDRESS = 256 * 1024;
    /** Bytes of such datagrams all half-open handshakes keep together (16 addresses' shares). */
    static final int MAX_EARLY_BYTES = 4 * 1024 * 1024;

    private final Endpoint endpoint;
    private final EndpointConfig config;
    private final EndpointStats stats;
    private final CookieMinter cookies;
    private final ResetTokens resetTokens;
    private final LongObjectMap<HalfOpen> halfOpen = new LongObjectMap<>();
    private final ArrayDeque<HalfOpen> expiryOrder = new ArrayDeque<>();
    /** Per address: [HALF_OPENS] its half-open handshakes, [EARLY_BYTES] the bytes of DATA they keep. */
    private final Map<InetAddress, int[]> perAddress = new HashMap<>();
    private static final int HALF_OPENS = 0;
    private static final int EARLY_BYTES = 1;
    private int earlyBytesTotal;
    private final HelloPacket hello = new HelloPacket();
    private final FinishPacket finish = new FinishPacket();
    private final ByteBuffer scratch = ByteBuffer.allocate(Endpoint.MAX_REPLY_BYTES);
    private final byte[] cookieScratch = new byte[Cookie.LENGTH];
    private double dhTokens;
    private long dhRefillNs = Long.MIN_VALUE;

    ServerHandshakes(Endpoint endpoint, EndpointConfig config, EndpointStats stats, ResetTokens resetTokens) {
        this.endpoint = endpoint;
        this.config = config;
        this.stats = stats;
        this.cookies = new CookieMinter(config.seed, config.secureRandom);
        this.resetTokens = resetTokens;
        this.dhTokens = config.handshakesPerSecond;
    }

    /** Handshakes between ACCEPT and FINISH now. */
    int halfOpenCount() {
        return halfOpen.size();
    }

    void handleHello(InetSocketAddress from, ByteBuffer buf, int start, int payloadEnd, int length, long nowNs) {
        if (!config.acceptConnections) {
            stats.count(DropReason.NOT_ACCEPTING);
            return;
        }
        if (length < HelloPacket.MIN_DATAGRAM_BYTES) {
            stats.count(DropReason.HELLO_TOO_SMALL);
            return;
        }
        if (HelloPacket.check(buf, start, payloadEnd) < 0) {
            stats.count(DropReason.MALFORMED);
            return;
        }
        hello.wrap(buf, start);
        long clientId = hello.clientConnectionId();
        if (!config.addressFilter.test(from.getAddress())) {
            stats.count(DropReason.ADDRESS_REFUSED);
            endpoint.replyReset(from, clientId, ErrorCode.UNAUTHORIZED, null, length);
            return;
        }
        long serverId = cookies.connectionId(from, clientId);
        HalfOpen h = halfOpen.get(serverId);
        if (h != null) {
            if (!h.peer.equals(from) || h.clientId != clientId) {
                stats.count(DropReason.WRONG_PEER);
                return;
            }
            // A repeated HELLO: our ACCEPT was lost. Send the same bytes again, no new work.
            scratch.clear();
            scratch.put(0, h.accept);
            endpoint.queueReply(from, scratch, h.accept.length, length);
            h.acceptSentNs = nowNs; // the FINISH will answer this copy (see acceptSentNs)
            return;
        }
        if (endpoint.connection(serverId) != null) {
            stats.count(DropReason.UNEXPECTED_TYPE); // the handshake already completed; a stale HELLO
            return;
        }
        boolean cookieValid = hello.cookieLength() != 0
                && cookies.valid(from, clientId, nowNs, buf, hello.cookieOffset());
        if (hello.cookieLength() != 0 && !cookieValid) {
            stats.count(DropReason.BAD_COOKIE);
        }
        refillDhTokens(nowNs);
        int fromAddress = sharesOf(from.getAddress());
        boolean underLoad = halfOpen.size() >= config.maxHalfOpen / 2
                || fromAddress >= config.maxHalfOpenPerAddress || dhTokens < 1;
        if (!cookieValid && underLoad) {
            cookies.mint(from, clientId, nowNs, cookieScratch);
            scratch.clear();
            int n = RetryPacket.encode(scratch, 0, clientId, length, cookieScratch);
            n = endpoint.handshakeProtection().seal(scratch, 0, n);
            if (endpoint.queueReply(from, scratch, n, length)) {
                stats.countRetrySent();
            }
            return;
        }
        if (endpoint.connectionCount() + halfOpen.size() >= config.maxConnections) {
            stats.count(DropReason.CONNECTION_LIMIT);
            endpoint.replyReset(from, clientId, ErrorCode.SERVER_BUSY, null, length);
            return;
        }
        if (halfOpen.size() >= config.maxHalfOpen || fromAddress >= config.maxHalfOpenPerAddress) {
            // Half-open handshakes finish within a round trip: drop without a reply, the client's next HELLO
            // (with its cookie, valid for 10 s) will likely find room. A RESET would fail it for a passing peak.
            stats.count(DropReason.CONNECTION_LIMIT);
            return;
        }
        if (endpoint.peerShares().connections(from) + fromAddress >= config.maxConnectionsPerAddress) {
            // Checked before any Diffie-Hellman work; the slot itself is taken when FINISH completes.
            stats.count(DropReason.PEER_CONNECTION_SHARE);
            endpoint.replyReset(from, clientId, ErrorCode.SERVER_BUSY, null, length);
            return;
        }
        if (!cookieValid) {
            dhTokens -= 1;
        }
        accept(from, buf, start, length, clientId, serverId, nowNs);
    }

    private void accept(InetSocketAddress from, ByteBuffer buf, int start, int length, long clientId, long serverId,
            long nowNs) {
        byte[] message1 = new byte[hello.noiseLength()];
        buf.get(hello.noiseOffset(), message1);
        int peerMaxDatagramBytes = hello.maxDatagramBytes();
        long peerIdleTimeoutMs = hello.idleTimeoutMs();
        HandshakeState noise = HandshakeState.responder(endpoint.staticKey(), HandshakeParams.prologue(buf, start),
                config.secureRandom);
        byte[] message2;
        try {
            byte[] clientBlock = noise.readMessage(message1);
            String error = HandshakeParams.checkClientBlock(clientBlock);
            if (error != null) {
                stats.count(DropReason.HANDSHAKE_FAILED);
                endpoint.replyReset(from, clientId, ErrorCode.HANDSHAKE_FAILED, null, length);
                return;
            }
            HandshakeParams params = new HandshakeParams(serverId, config.maxDatagramBytes,
                    Math.min(0xFFFF_FFFFL, config.idleTimeoutNs / 1_000_000), length,
                    Math.min(0xFFFF, config.maxIncomingTransfers),
                    Math.min(0xFFFF_FFFFL, config.transferWindowBytes),
                    resetTokens.token(serverId, new byte[ResetPacket.TOKEN_LENGTH]), HandshakeParams.features(config),
                    HandshakeParams.announcedStreamLimits(config));
            message2 = noise.writeMessage(params.encode());
        } catch (NoiseException e) {
            stats.count(DropReason.HANDSHAKE_FAILED); // no message 1, or a low-order key
            return;
        }
        scratch.clear();
        int n = AcceptPacket.encode(scratch, 0, clientId, message2);
        n = endpoint.handshakeProtection().seal(scratch, 0, n);
        byte[] acceptBytes = new byte[n];
        scratch.get(0, acceptBytes);
        HalfOpen h = new HalfOpen(serverId, clientId, from, noise, acceptBytes, length, peerMaxDatagramBytes,
                peerIdleTimeoutMs, nowNs + HALF_OPEN_LIFETIME_TIMEOUTS * config.handshakeTimeoutNs);
        h.acceptSentNs = nowNs;
        halfOpen.put(serverId, h);
        expiryOrder.add(h);
        perAddress.computeIfAbsent(from.getAddress(), a -> new int[2])[HALF_OPENS]++;
        endpoint.queueReply(from, scratch, n, length);
    }

    /**
     * FINISH (Noise message 3): verifies it, checks the client's key with {@code clientKeyPolicy}, and returns the
     * new connection (or null when nothing is created). A refused key still gets a connection, closing at once
     * with UNAUTHORIZED, so that the refusal reaches the client encrypted and authenticated.
     */
    Connection handleFinish(InetSocketAddress from, ByteBuffer buf, int start, int payloadEnd, long nowNs) {
        if (FinishPacket.check(buf, start, payloadEnd) < 0) {
            stats.count(DropReason.MALFORMED);
            return null;
        }
        finish.wrap(buf, start);
        long serverId = finish.header().connectionId();
        HalfOpen h = halfOpen.get(serverId);
        if (h == null) {
            Connection c = endpoint.connection(serverId);
            if (c != null && !c.isClient() && c.peer().equals(from)) {
                c.onRepeatedFinish(); // our first DATA was lost: send one soon so the client stops repeating
            } else {
                stats.count(DropReason.UNKNOWN_CONNECTION);
            }
            return null;
        }
        if (!h.peer.equals(from)) {
            stats.count(DropReason.WRONG_PEER);
            return null;
        }
        byte[] clientBlock;
        try {
            clientBlock = h.noise.readMessage(finish.noise());
        } catch (NoiseException e) {
            stats.count(DropReason.HANDSHAKE_FAILED); // forged or corrupted; the genuine FINISH may follow
            return null;
        }
        byte[] clientKey = h.noise.remoteStaticKey();
        String refusal = HandshakeParams.checkClientBlock(clientBlock);
        int code = ErrorCode.HANDSHAKE_FAILED;
        if (refusal == null) {
            refusal = config.clientKeyPolicy.check(from, clientKey);
            code = ErrorCode.UNAUTHORIZED;
        }
        boolean share = false;
        if (refusal == null) {
            share = endpoint.peerShares().tryAcquireConnection(from);
            if (!share) {
                stats.count(DropReason.PEER_CONNECTION_SHARE);
                code = ErrorCode.SERVER_BUSY;
                refusal = "the server holds as many connections from " + PeerShares.describe(from)
                        + " as one address may have; close some and try again";
            }
        }
        byte[][] keys = h.noise.split();
        ByteBuffer[] early = refusal == null ? h.early : null;
        long[] earlyArrivalNs = h.earlyArrivalNs;
        int earlyCount = refusal == null ? h.earlyCount : 0;
        if (early != null) {
            h.earlyCount = 0; // handed over for replay, not dropped by remove()
        }
        remove(h);
        // Split(): keys[0] protects initiator-to-responder (what we receive), keys[1] what we send.
        PacketCipher cipher = new PacketCipher(keys[1], keys[0], config.keyUpdateEpochBits);
        Connection c = endpoint.newServerConnection(h.serverId, h.clientId, from, h.helloSizeBytes,
                h.peerMaxDatagramBytes, h.peerIdleTimeoutMs, cipher, clientKey, refusal == null, nowNs);
        if (refusal != null) {
            c.refuse(code, refusal, nowNs);
        } else {
            c.onPeerFeatures(HandshakeParams.peerFeatures(clientBlock));
            c.onPeerStreamLimits(HandshakeParams.peerStreamLimits(clientBlock));
            c.onHandshakeRtt(nowNs - h.acceptSentNs);
            c.markHoldsPeerShare();
            stats.countConnectionAccepted();
            for (int i = 0; i < earlyCount; i++) {
                endpoint.replayEarlyData(c, from, early[i], earlyArrivalNs[i], nowNs); // as if after FINISH
            }
        }
        return c;
    }

    private void remove(HalfOpen h) {
        if (h.gone) {
            return;
        }
        h.gone = true;
        halfOpen.remove(h.serverId);
        int[] count = perAddress.get(h.peer.getAddress());
        dropEarlyData(h, count);
        if (count != null && --count[HALF_OPENS] <= 0) {
            perAddress.remove(h.peer.getAddress());
        }
        if (expiryOrder.size() > 2 * config.maxHalfOpen) {
            expiryOrder.removeIf(e -> e.gone); // completed ones otherwise wait for their expiry time
        }
    }

    /**
     * DATA for half-open handshake {@code serverId} (its FINISH has not arrived): kept for replay after FINISH if
     * this handshake keeps fewer than {@link #MAX_EARLY_DATAGRAMS} and its address's and the total byte budgets
     * allow; otherwise dropped and counted (BEFORE_FINISH), left unacknowledged so the client sends it again. Only
     * the address the ACCEPT went to can use an entry, and only with the connection id the ACCEPT carried
     * (encrypted), so nothing is kept for an address that did not get an ACCEPT (no state before RETRY's address
     * validation). Nothing is sent back. Returns false when {@code serverId} is no half-open handshake.
     */
    boolean bufferEarlyData(InetSocketAddress from, long serverId, ByteBuffer buf, int start, int end, long nowNs) {
        HalfOpen h = halfOpen.get(serverId);
        if (h == null) {
            return false;
        }
        if (!h.peer.equals(from)) {
            stats.count(DropReason.WRONG_PEER);
            return true;
        }
        int length = end - start;
        int[] share = perAddress.get(from.getAddress());
        if (h.earlyCount >= MAX_EARLY_DATAGRAMS || share == null
                || share[EARLY_BYTES] + length > MAX_EARLY_BYTES_PER_ADDRESS
                || earlyBytesTotal + length > MAX_EARLY_BYTES) {
            stats.count(DropReason.BEFORE_FINISH);
            return true;
        }
        if (h.early == null) {
            h.early = new ByteBuffer[MAX_EARLY_DATAGRAMS];
            h.earlyArrivalNs = new long[MAX_EARLY_DATAGRAMS];
        }
        // A copy: the driver reuses its buffer. Rare (a lost or overtaken FINISH), so allocating here is fine.
        ByteBuffer copy = ByteBuffer.allocate(length);
        copy.put(0, buf, start, length);
        h.early[h.earlyCount] = copy;
        h.earlyArrivalNs[h.earlyCount++] = nowNs;
        h.earlyBytes += length;
        share[EARLY_BYTES] += length;
        earlyBytesTotal += length;
        return true;
    }

    /** Frees what {@code h} keeps for replay; datagrams still held are dropped and counted (BEFORE_FINISH). */
    private void dropEarlyData(HalfOpen h, int[] share) {
        for (int i = 0; i < h.earlyCount; i++) {
            stats.count(DropReason.BEFORE_FINISH);
        }
        if (share != null) {
            share[EARLY_BYTES] -= h.earlyBytes;
        }
        earlyBytesTotal -= h.earlyBytes;
        h.early = null;
        h.earlyArrivalNs = null;
        h.earlyCount = 0;
        h.earlyBytes = 0;
    }

    /** Bytes of DATA all half-open handshakes keep for replay now. */
    int earlyDataBytes() {
        return earlyBytesTotal;
    }

    /** Bytes of DATA the half-open handshakes of {@code address} keep for replay now. */
    int earlyDataBytes(InetAddress address) {
        int[] share = perAddress.get(address);
        return share == null ? 0 : share[EARLY_BYTES];
    }

    private int sharesOf(InetAddress address) {
        int[] count = perAddress.get(address);
        return count == null ? 0 : count[HALF_OPENS];
    }

    private void refillDhTokens(long nowNs) {
        if (dhRefillNs != Long.MIN_VALUE && nowNs > dhRefillNs) {
            dhTokens = Math.min(config.handshakesPerSecond,
                    dhTokens + (nowNs - dhRefillNs) * 1e-9 * config.handshakesPerSecond);
        }
        dhRefillNs = nowNs;
    }

    /** Forgets half-open handshakes older than their lifetime (twice the handshake timeout). */
    void expire(long nowNs) {
        HalfOpen h;
        while ((h = expiryOrder.peek()) != null && (h.gone || h.expiresNs <= nowNs)) {
            expiryOrder.poll();
            remove(h);
        }
    }

    /** When the oldest half-open handshake expires, or Long.MAX_VALUE. */
    long nextDeadlineNs() {
        HalfOpen h = expiryOrder.peek();
        return h == null ? Long.MAX_VALUE : h.expiresNs;
    }

    /** The reset token for {@code serverId}. */
    byte[] resetToken(long serverId, byte[] dst) {
        return resetTokens.token(serverId, dst);
    }
}
