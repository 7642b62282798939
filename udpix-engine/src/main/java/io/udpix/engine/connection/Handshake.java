package io.udpix.engine.connection;

import io.udpix.engine.DropReason;
import io.udpix.engine.crypto.HandshakeState;
import io.udpix.engine.crypto.NoiseException;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.wire.AcceptPacket;
import io.udpix.wire.Cookie;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.FinishPacket;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.ResetPacket;
import io.udpix.wire.RetryPacket;
import io.udpix.wire.VersionPacket;
import java.nio.ByteBuffer;

/**
 * The client's side of the handshake: HELLO with Noise message 1 (padded, so the server may answer without
 * amplifying, RFC 9000 section 8.1), ACCEPT with message 2 (or first a RETRY with a cookie when the server is under
 * handshake load), then FINISH with message 3 once the server's key passed {@code serverKeyPolicy}. FINISH goes
 * twice, half a round trip apart, and is then repeated (see {@link #pollFinish}) until the server's first
 * authenticated DATA packet shows it arrived.
 *
 * <p>HELLO is retransmitted every 250 ms for 8 tries, then every 500 ms, then every second after 40 tries (a small
 * datagram; a lossy path needs several tries and the handshake is what the user waits for). Once a RETRY has
 * measured the round trip, the interval is twice that RTT (50 ms to 1 s). Every other attempt uses
 * {@link #SMALL_HELLO_BYTES} instead of the initial size (1200 bytes) so that a path whose MTU is below 1228 bytes
 * (down to IPv4's minimum 576) still connects. Once a RETRY reveals which size got through, that size is used.
 */
final class Handshake {
    /** IPv4's minimum MTU (576) minus 28 bytes of IP and UDP headers. */
    static final int SMALL_HELLO_BYTES = 548;
    /** Resend interval before anything was heard: short, because one lost HELLO must not cost the user seconds. */
    static final long FIRST_RETRANSMIT_NS = 250_000_000L;
    static final long LATER_RETRANSMIT_NS = 1_000_000_000L;
    /** Bounds of the resend interval once a RETRY gave an RTT measurement (twice that RTT). */
    static final long MIN_MEASURED_RETRANSMIT_NS = 50_000_000L;
    static final long MAX_MEASURED_RETRANSMIT_NS = 1_000_000_000L;
    static final int MAX_RETRIES_ACCEPTED = 8;
    /**
     * FINISH is sent at most this many times: the interval doubles from 2 RTT (at least 50 ms) up to 1 s, so 64
     * tries cover more than a minute, longer than the idle timeout that ends a connection whose server never
     * answers. (A fixed dozen tries was lost whole in a 1.8 s blackout of a random scenario.)
     */
    static final int MAX_FINISH_SENDS = 64;
    /**
     * FINISH always goes twice: the copy half a round trip after the first is cheap insurance (one ~100-byte
     * datagram per connection). The first flight of DATA leaves with FINISH; if FINISH alone is lost, the server
     * keeps that flight but cannot read it, and the client's window stays full until a FINISH gets through. Waiting
     * the 2 RTT of a resend cost a live stream's first frames (their budget is ~3 RTT on a 50 ms path); with the
     * second copy a lone loss costs half a round trip, and both copies are lost at 5% loss once in 400
     * connections. Half an RTT apart so that one short burst does not take both. At least this far apart.
     */
    static final long MIN_FINISH_REPEAT_NS = 1_000_000L;

    private final Connection c;
    private final byte[] cookie = new byte[Cookie.LENGTH];
    private int cookieLength;
    private int attempts;
    private int retriesAccepted;
    private int provenHelloBytes;
    private long nextHelloNs;
    private long lastHelloSentNs;
    private int attemptsSinceRetry;
    /** Size of the latest HELLO, and HELLOs of the small and of the other size sent since the last RETRY. */
    private int lastHelloBytes;
    private int smallHellosSinceRetry;
    private int otherHellosSinceRetry;
    private long measuredRetransmitNs;
    private final long deadlineNs;
    private final HandshakeState noise;
    private final byte[] message1;
    private byte[] message3;
    private int finishSends;
    private long nextFinishNs;
    private boolean finishConfirmed;

    Handshake(Connection c, long nowNs) {
        this.c = c;
        this.nextHelloNs = nowNs;
        this.deadlineNs = nowNs + c.config.handshakeTimeoutNs;
        ByteBuffer fixed = ByteBuffer.allocate(HelloPacket.MIN_DATAGRAM_BYTES);
        HelloPacket.encode(fixed, 0, c.localId, c.config.maxDatagramBytes, idleTimeoutMs(), cookie, 0, 64);
        this.noise = HandshakeState.initiator(c.localKey, HandshakeParams.prologue(fixed, 0), c.config.secureRandom);
        try {
            this.message1 = noise.writeMessage(HandshakeParams.clientBlock(c.config));
        } catch (NoiseException e) {
            throw new IllegalStateException("writing Noise message 1 cannot fail", e);
        }
    }

    private long idleTimeoutMs() {
        return Math.min(0xFFFF_FFFFL, c.config.idleTimeoutNs / 1_000_000);
    }

    long nextDeadlineNs() {
        return Math.min(nextHelloNs, deadlineNs);
    }

    void onTimeout(long nowNs) {
        if (nowNs >= deadlineNs) {
            c.endpointStats.countHandshakeTimeout();
            String reason = "no answer from " + c.peer + " within " + c.config.handshakeTimeoutNs / 1_000_000
                    + " ms; is a udpix server running there, and does the path let UDP through?";
            c.failAllTransfers(ErrorCode.HANDSHAKE_TIMEOUT, reason);
            c.enterClosed(ErrorCode.HANDSHAKE_TIMEOUT, reason);
        }
    }

    private int helloBytes() {
        if (provenHelloBytes > 0) {
            return provenHelloBytes;
        }
        return attempts % 2 == 1 ? SMALL_HELLO_BYTES : c.config.initialDatagramBytes;
    }

    int pollHello(ByteBuffer dst, long nowNs) {
        if (nowNs < nextHelloNs || nowNs >= deadlineNs) {
            return 0;
        }
        int size = helloBytes();
        int payloadEnd = size - c.handshakeProtection.overheadBytes();
        HelloPacket.encode(dst, 0, c.localId, c.config.maxDatagramBytes, idleTimeoutMs(), cookie, cookieLength,
                message1, payloadEnd);
        int end = c.handshakeProtection.seal(dst, 0, payloadEnd);
        attempts++;
        attemptsSinceRetry++;
        lastHelloSentNs = nowNs;
        lastHelloBytes = size;
        if (size == SMALL_HELLO_BYTES) {
            smallHellosSinceRetry++;
        } else {
            otherHellosSinceRetry++;
        }
        long interval = measuredRetransmitNs > 0 ? measuredRetransmitNs
                : attempts < 8 ? FIRST_RETRANSMIT_NS : attempts < 40 ? 2 * FIRST_RETRANSMIT_NS : LATER_RETRANSMIT_NS;
        nextHelloNs = nowNs + interval;
        c.stats.inc(ConnectionStats.PACKETS_SENT);
        c.stats.add(ConnectionStats.BYTES_SENT, end);
        return end;
    }

    void handle(int type, ByteBuffer buf, int start, int payloadEnd, long nowNs) {
        switch (type) {
            case PacketType.RETRY -> onRetry(buf, start, payloadEnd, nowNs);
            case PacketType.ACCEPT -> onAccept(buf, start, payloadEnd, nowNs);
            case PacketType.VERSION -> onVersion(buf, start, payloadEnd);
            case PacketType.RESET -> onReset(buf, start, payloadEnd);
            default -> c.endpointStats.count(DropReason.UNEXPECTED_TYPE);
        }
    }

    private void onRetry(ByteBuffer buf, int start, int payloadEnd, long nowNs) {
        if (RetryPacket.check(buf, start, payloadEnd) < 0) {
            c.endpointStats.count(DropReason.MALFORMED);
            return;
        }
        if (retriesAccepted >= MAX_RETRIES_ACCEPTED) {
            c.endpointStats.count(DropReason.UNEXPECTED_TYPE);
            return;
        }
        RetryPacket retry = new RetryPacket().wrap(buf, start);
        retriesAccepted++;
        cookieLength = retry.copyCookie(cookie);
        int hello = retry.helloSizeBytes();
        if (hello >= HelloPacket.MIN_DATAGRAM_BYTES && hello <= c.config.maxDatagramBytes) {
            provenHelloBytes = hello;
        }
        // With a single HELLO outstanding the RETRY answers it, so this is a clean RTT sample.
        long rttNs = nowNs - lastHelloSentNs;
        if (attemptsSinceRetry == 1) {
            measuredRetransmitNs = Math.max(MIN_MEASURED_RETRANSMIT_NS, Math.min(MAX_MEASURED_RETRANSMIT_NS, 2 * rttNs));
        }
        attemptsSinceRetry = 0;
        smallHellosSinceRetry = 0;
        otherHellosSinceRetry = 0;
        nextHelloNs = nowNs; // answer at once with the cookie
    }

    private void onAccept(ByteBuffer buf, int start, int payloadEnd, long nowNs) {
        if (AcceptPacket.check(buf, start, payloadEnd) < 0) {
            c.endpointStats.count(DropReason.MALFORMED);
            return;
        }
        byte[] payload;
        try {
            payload = noise.readMessage(new AcceptPacket().wrap(buf, start).noise());
        } catch (NoiseException e) {
            // Forged or corrupted on the way: ignore it (the state is unchanged), a genuine ACCEPT may follow.
            c.endpointStats.count(DropReason.HANDSHAKE_FAILED);
            return;
        }
        HandshakeParams.Parsed parsed = HandshakeParams.parse(payload);
        if (parsed.error() != null) {
            fail(ErrorCode.HANDSHAKE_FAILED, "the server at " + c.peer + " cannot be used: " + parsed.error());
            return;
        }
        HandshakeParams a = parsed.params();
        int hello = a.helloSizeBytes();
        if (hello < HelloPacket.MIN_DATAGRAM_BYTES || hello > c.config.maxDatagramBytes) {
            fail(ErrorCode.HANDSHAKE_FAILED, "the server at " + c.peer + " reported a HELLO size of " + hello
                    + " bytes, outside " + HelloPacket.MIN_DATAGRAM_BYTES + ".." + c.config.maxDatagramBytes);
            return;
        }
        byte[] serverKey = noise.remoteStaticKey();
        String refusal = c.config.serverKeyPolicy.check(c.peer, serverKey);
        if (refusal != null) {
            // Checked before FINISH: the server learns nothing about us from a connection we refuse.
            fail(ErrorCode.SERVER_KEY_REJECTED, refusal);
            return;
        }
        try {
            message3 = noise.writeMessage(HandshakeParams.clientBlock(c.config));
        } catch (NoiseException e) {
            fail(ErrorCode.HANDSHAKE_FAILED, "the handshake with " + c.peer + " failed: " + e.getMessage());
            return;
        }
        byte[][] keys = noise.split();
        c.installKeys(new PacketCipher(keys[0], keys[1], c.config.keyUpdateEpochBits), serverKey, a.resetToken());
        if (acceptAnswersLatestHello(hello)) {
            // An unambiguous RTT sample (RFC 9002 section 5). Without it the first DATA packets' PTO and FINISH's
            // resend interval assume the initial 333 ms: one lost FINISH then cost a 14 ms path a whole second, all
            // of a short frame stream (RandomStreamScenariosTest seed -5366799978482439348, MTU 576).
            c.recovery.rtt().onSample(nowNs - lastHelloSentNs, 0);
        }
        c.stats.inc(ConnectionStats.PACKETS_RECEIVED);
        nextFinishNs = nowNs;
        c.onPeerFeatures(a.features());
        c.onPeerStreamLimits(a.streamLimits());
        c.onEstablished(a.serverConnectionId(), hello, a.maxDatagramBytes(), a.idleTimeoutMs(), a.maxTransfers(),
                a.initialWindowBytes(), nowNs);
    }

    /**
     * Whether an ACCEPT for a HELLO of {@code helloBytes} (the size the server reports, docs/PROTOCOL.md) answers
     * the latest HELLO: it is of that size and the only one of its size since the last RETRY. The server answers
     * its first HELLO and repeats that ACCEPT (with that HELLO's size) for later ones, so an ACCEPT naming the
     * latest HELLO's size was made for it. This covers a first HELLO too large for the path and the small one
     * after it, besides a single HELLO.
     */
    private boolean acceptAnswersLatestHello(int helloBytes) {
        int sameSize = lastHelloBytes == SMALL_HELLO_BYTES ? smallHellosSinceRetry : otherHellosSinceRetry;
        return helloBytes == lastHelloBytes && sameSize == 1;
    }

    private void fail(int code, String reason) {
        c.failAllTransfers(code, reason);
        c.enterClosed(code, reason);
    }

    /** True while FINISH should still be sent: not yet confirmed by the server's DATA, tries left. */
    boolean finishDue(long nowNs) {
        return message3 != null && !finishConfirmed && finishSends < MAX_FINISH_SENDS && nowNs >= nextFinishNs;
    }

    /** When FINISH is next due, or Long.MAX_VALUE. */
    long finishDeadlineNs() {
        return message3 == null || finishConfirmed || finishSends >= MAX_FINISH_SENDS ? Long.MAX_VALUE : nextFinishNs;
    }

    /** The server's first authenticated DATA packet arrived: it has our FINISH. */
    void onFinishConfirmed() {
        finishConfirmed = true;
    }

    /** Writes FINISH (Noise message 3) into {@code dst}; returns its length. */
    int pollFinish(ByteBuffer dst, long nowNs) {
        int end = FinishPacket.encode(dst, 0, c.peerId, message3);
        end = c.handshakeProtection.seal(dst, 0, end);
        long rttNs = c.recovery.rtt().rttNsSmoothed();
        long intervalNs = finishSends == 0
                ? Math.max(MIN_FINISH_REPEAT_NS, rttNs / 2)
                : Math.max(MIN_MEASURED_RETRANSMIT_NS, 2 * rttNs) << Math.min(finishSends - 1, 8);
        finishSends++;
        nextFinishNs = nowNs + Math.min(MAX_MEASURED_RETRANSMIT_NS, intervalNs);
        c.stats.inc(ConnectionStats.PACKETS_SENT);
        c.stats.add(ConnectionStats.BYTES_SENT, end);
        return end;
    }

    private void onVersion(ByteBuffer buf, int start, int payloadEnd) {
        if (VersionPacket.check(buf, start, payloadEnd) < 0) {
            c.endpointStats.count(DropReason.MALFORMED);
            return;
        }
        VersionPacket v = new VersionPacket().wrap(buf, start);
        StringBuilder versions = new StringBuilder();
        for (int i = 0; i < v.count(); i++) {
            versions.append(i == 0 ? "" : ", ").append(v.supportedVersion(i));
        }
        String reason = "the server at " + c.peer + " speaks protocol version(s) " + versions
                + " but this udpix speaks version " + PacketHeader.VERSION + "; install matching udpix versions";
        c.failAllTransfers(ErrorCode.UNSUPPORTED_VERSION, reason);
        c.enterClosed(ErrorCode.UNSUPPORTED_VERSION, reason);
    }

    private void onReset(ByteBuffer buf, int start, int payloadEnd) {
        if (ResetPacket.check(buf, start, payloadEnd) < 0) {
            c.endpointStats.count(DropReason.MALFORMED);
            return;
        }
        int code = new ResetPacket().wrap(buf, start).errorCode();
        String reason = "the server at " + c.peer + " refused the connection: " + ErrorCode.describe(code);
        c.failAllTransfers(code, reason);
        c.enterClosed(code, reason);
    }
}
