package io.udpix.api;

import io.udpix.driver.Driver;
import io.udpix.engine.Endpoint;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ReplyMatcher;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A client's requests waiting for their replies (docs/PROTOCOL.md section 5.5): which may take a reply
 * ({@link ReplyMatcher}, the engine's sink factory), the reply timeout from each request's confirmation, the
 * bound on reply memory, and the request futures, completed with the verified reply or failed with the server's
 * error. I/O thread only, except {@link #confirmed}'s timer, which comes back through the driver.
 */
final class ClientRequests implements ReplyMatcher.ReplySinks {
    private final InetSocketAddress server;
    private final long replyTimeoutNs;
    private final int maxWaiting;
    /** Bound on the declared sizes of replies arriving at once: 4 replies of the largest size, at least 64 MiB. */
    private final long maxReplyMemoryBytes;
    private final ReplyMatcher matcher;
    /** By the request's transfer ID (one connection per client). */
    private final Map<Integer, PendingRequest> requests = new HashMap<>();
    /** Declared sizes of the replies arriving now. */
    private long replyBytesInProgress;
    private Driver<Endpoint> driver;

    ClientRequests(InetSocketAddress server, long replyTimeoutNs, long maxReplyBytes, int maxWaiting) {
        this.server = server;
        this.replyTimeoutNs = replyTimeoutNs;
        this.maxWaiting = maxWaiting;
        this.maxReplyMemoryBytes = Math.max(4 * maxReplyBytes, 64L << 20);
        this.matcher = new ReplyMatcher(maxWaiting, maxReplyBytes, this);
    }

    /** The engine's sink factory: only replies to waiting requests. */
    ReplyMatcher matcher() {
        return matcher;
    }

    /** The driver whose thread runs the reply timeouts (set once it started). */
    void attach(Driver<Endpoint> value) {
        this.driver = value;
    }

    /** Whether no more requests may wait. */
    boolean full() {
        return requests.size() >= maxWaiting;
    }

    /** Request {@code requestId} (queued in the engine) waits for its reply from now on. */
    void waiting(long connectionId, int requestId, PendingRequest waiting) {
        waiting.connectionId = connectionId;
        matcher.expect(connectionId, requestId);
        requests.put(requestId, waiting);
    }

    /** The request was confirmed: its reply must start within the reply timeout. Any thread. */
    void confirmed(int requestId, PendingRequest waiting) {
        Runnable fire = () -> {
            try {
                driver.execute(ep -> timedOut(requestId, waiting));
            } catch (RejectedExecutionException e) {
                // Closed: the request already failed with the connection.
            }
        };
        CompletableFuture.delayedExecutor(replyTimeoutNs, TimeUnit.NANOSECONDS).execute(fire);
    }

    private void timedOut(int requestId, PendingRequest waiting) {
        if (waiting.replyStarted || waiting.future.isDone() || requests.get(requestId) != waiting) {
            return;
        }
        requests.remove(requestId);
        matcher.forget(waiting.connectionId, requestId);
        waiting.future.completeExceptionally(new UdpixException(UdpixException.Kind.TIMED_OUT, -1, "no reply to '"
                + waiting.item.name() + "' from " + Addresses.text(server) + " within "
                + Addresses.duration(replyTimeoutNs) + " of its confirmation; the server's handler may be slow "
                + "(raise replyTimeout / --reply-timeout) or its application answers nothing", null));
    }

    /** The request waits no more (failed, cancelled): a late reply to it is refused. */
    void forget(long connectionId, int requestId, PendingRequest waiting) {
        if (requestId >= 0 && requests.get(requestId) == waiting) {
            requests.remove(requestId);
            matcher.forget(connectionId, requestId);
        }
    }

    /** The connection ended: every request still waiting for its reply fails ({@code because} null: closed). */
    void failAll(long connectionId, UdpixException because) {
        List<PendingRequest> left = new ArrayList<>(requests.values());
        requests.clear();
        matcher.forgetConnection(connectionId);
        for (PendingRequest waiting : left) {
            waiting.future.completeExceptionally(because != null ? new UdpixException(because.kind(),
                    because.errorCode(), "no reply to '" + waiting.item.name() + "': " + because.getMessage(),
                    because) : new UdpixException(UdpixException.Kind.CONNECTION_CLOSED, ErrorCode.CLOSED,
                    "no reply to '" + waiting.item.name() + "': the client was closed first", null));
        }
    }

    @Override
    public TransferSink open(long connection, int requestId, TransferInfo info) throws TransferRefusedException {
        PendingRequest waiting = requests.get(requestId);
        if (waiting == null || waiting.future.isDone()) {
            throw new TransferRefusedException(ErrorCode.REFUSED, "request " + requestId + " waits no more");
        }
        long sizeBytes = info.sizeBytes();
        if (replyBytesInProgress + sizeBytes > maxReplyMemoryBytes) {
            // Many large replies at once: this one fails rather than the client's memory (the sum is bounded).
            requests.remove(requestId);
            String reason = "this client already receives " + replyBytesInProgress + " bytes of replies (its limit "
                    + "for all replies at once is " + maxReplyMemoryBytes + ")";
            waiting.future.completeExceptionally(new UdpixException(UdpixException.Kind.REFUSED,
                    ErrorCode.SERVER_BUSY, "the reply to '" + waiting.item.name() + "' was refused: " + reason
                            + "; wait for replies before sending more requests", null));
            throw new TransferRefusedException(ErrorCode.SERVER_BUSY, reason);
        }
        replyBytesInProgress += sizeBytes;
        waiting.replyStarted = true;
        long startNs = System.nanoTime();
        int localPort = driver == null ? 0 : driver.localAddress().getPort();
        return new ReplySink(sizeBytes, (content, sha256) -> {
            replyBytesInProgress -= sizeBytes;
            replied(requestId, waiting, info, content, sha256, startNs, localPort);
        }, reason -> {
            replyBytesInProgress -= sizeBytes;
            requests.remove(requestId);
            waiting.future.completeExceptionally(new UdpixException(UdpixException.Kind.FAILED, -1, "the reply to '"
                    + waiting.item.name() + "' did not arrive: " + reason, null));
        });
    }

    @Override
    public void refused(long connection, int requestId, int code, String reason) {
        PendingRequest waiting = requests.remove(requestId);
        if (waiting != null) {
            waiting.future.completeExceptionally(new UdpixException(UdpixException.Kind.TOO_LARGE, code,
                    "the reply to '" + waiting.item.name() + "' was refused: " + reason + "; raise the limit "
                            + "with maxReplyBytes (udpix send --max-reply)", null));
        }
    }

    /** The verified reply: the request completes with it, or fails with the error it carries. */
    private void replied(int requestId, PendingRequest waiting, TransferInfo info, byte[] content, byte[] sha256,
            long startNs, int localPort) {
        requests.remove(requestId);
        Map<String, String> meta = info.extensions().meta();
        if (ItemMeta.STATUS_ERROR.equals(meta.get(ItemMeta.STATUS))) {
            String error = meta.getOrDefault(ItemMeta.ERROR, "");
            waiting.future.completeExceptionally(new UdpixException(UdpixException.Kind.REFUSED, -1, "request '"
                    + waiting.item.name() + "' failed at " + Addresses.text(server) + ": "
                    + (error.isEmpty() ? "its handler gave no reason" : error), null));
            return;
        }
        waiting.future.complete(new ReceivedItem(ItemKind.fromWire(info.kind()), info.name(), info.mediaType(),
                content.length, Sha256.hex(sha256), server, localPort, Duration.ofNanos(System.nanoTime() - startNs),
                null, content, null, null, meta));
    }
}
