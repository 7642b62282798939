package io.udpix.engine.transfer;

import io.udpix.engine.event.TransferInfo;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The sink factory of a requesting client: it takes an incoming transfer only when it is the reply to one of this
 * endpoint's requests still waiting on that connection (its OPEN's REPLY_TO names the request's transfer id,
 * docs/PROTOCOL.md section 5.5) and is no larger than the reply limit. Anything else a peer tries to push is
 * refused at its OPEN, before any byte is taken, and counted: a hostile server cannot fill a client's memory or
 * disk. Each request takes at most one reply (the first OPEN naming it). Engine thread only.
 */
public final class ReplyMatcher implements SinkFactory {
    /** Makes the sink of an accepted reply, or refuses it. */
    @FunctionalInterface
    public interface ReplySinks {
        /** A sink for the reply {@code info} to request {@code requestId} of {@code connectionId}. */
        TransferSink open(long connectionId, int requestId, TransferInfo info) throws TransferRefusedException;

        /** The reply to {@code requestId} was refused (too large): the request cannot complete. */
        default void refused(long connectionId, int requestId, int code, String reason) {
        }
    }

    private final int maxWaiting;
    private final long maxReplyBytes;
    private final ReplySinks sinks;
    /** Requests waiting for their reply: value unused (a set with a bound). */
    private final Map<Key, Boolean> waiting = new HashMap<>();
    private long refusedUnsolicited;
    private long refusedTooLarge;

    /**
     * @param maxWaiting    requests that may wait at once (bounds the table; {@link #expect} says false beyond)
     * @param maxReplyBytes largest reply taken
     * @param sinks         makes the sinks of accepted replies
     */
    public ReplyMatcher(int maxWaiting, long maxReplyBytes, ReplySinks sinks) {
        if (maxWaiting <= 0 || maxReplyBytes < 0) {
            throw new IllegalArgumentException("maxWaiting must be positive and maxReplyBytes not negative, were "
                    + maxWaiting + " and " + maxReplyBytes);
        }
        this.maxWaiting = maxWaiting;
        this.maxReplyBytes = maxReplyBytes;
        this.sinks = sinks;
    }

    /** Request {@code requestId} (our outgoing transfer) of {@code connectionId} waits for a reply; false if full. */
    public boolean expect(long connectionId, int requestId) {
        if (waiting.size() >= maxWaiting) {
            return false;
        }
        waiting.put(new Key(connectionId, requestId), Boolean.TRUE);
        return true;
    }

    /** The request no longer waits (failed, timed out, cancelled): a late reply to it is refused. */
    public void forget(long connectionId, int requestId) {
        waiting.remove(new Key(connectionId, requestId));
    }

    /** Forgets every request of a closed connection. */
    public void forgetConnection(long connectionId) {
        waiting.keySet().removeIf(k -> k.connectionId == connectionId);
    }

    /** Whether request {@code requestId} still waits for the OPEN of its reply. */
    public boolean isWaiting(long connectionId, int requestId) {
        return waiting.containsKey(new Key(connectionId, requestId));
    }

    /** Requests waiting now. */
    public int waitingCount() {
        return waiting.size();
    }

    /** Incoming transfers refused because they answered no waiting request of their connection. */
    public long refusedUnsolicited() {
        return refusedUnsolicited;
    }

    /** Replies refused because they were larger than the limit. */
    public long refusedTooLarge() {
        return refusedTooLarge;
    }

    @Override
    public TransferSink open(long connectionId, InetSocketAddress peer, TransferInfo info)
            throws TransferRefusedException {
        refusedUnsolicited++;
        throw new TransferRefusedException(ErrorCode.REFUSED, "this endpoint takes only replies to its requests");
    }

    @Override
    public TransferSink open(long connectionId, int transferId, InetSocketAddress peer, TransferInfo info)
            throws TransferRefusedException {
        long replyTo = info.extensions().replyTo();
        if (replyTo < 0 || replyTo > 0xFFFF_FFFFL
                || waiting.remove(new Key(connectionId, (int) replyTo)) == null) {
            refusedUnsolicited++;
            throw new TransferRefusedException(ErrorCode.REFUSED, replyTo < 0
                    ? "this client takes only replies to its own requests"
                    : "this client has no request " + replyTo + " waiting for a reply");
        }
        int requestId = (int) replyTo; // a u32 on the wire, the engine's int id bit for bit
        if (info.sizeBytes() > maxReplyBytes) {
            refusedTooLarge++;
            String reason = "a reply of " + info.sizeBytes() + " bytes exceeds this client's limit of "
                    + maxReplyBytes + " bytes";
            sinks.refused(connectionId, requestId, ErrorCode.TOO_LARGE, reason);
            throw new TransferRefusedException(ErrorCode.TOO_LARGE, reason);
        }
        return sinks.open(connectionId, requestId, info);
    }

    private record Key(long connectionId, int requestId) {
    }
}
