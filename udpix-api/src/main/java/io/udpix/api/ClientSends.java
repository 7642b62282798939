package io.udpix.api;

import io.udpix.driver.Driver;
import io.udpix.engine.Endpoint;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferProgress;
import io.udpix.engine.event.TransferStarted;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The items one {@link UdpixClient} sends and the requests it makes: queues them in the engine on the driver
 * thread, follows the engine's transfer events to their futures, fails what is left when the connection ends.
 * Kept out of UdpixClient so that each class stays small.
 */
final class ClientSends {
    private final Driver<Endpoint> driver;
    private final Endpoint endpoint;
    private final InetSocketAddress server;
    private final ClientRequests requests;
    private final int maxWaitingRequests;
    /** The client's connection, once its HELLO left. */
    private final LongSupplier connectionId;
    /** Whether the client was closed, and why its connection ended (null while it did not): the client's state. */
    private final BooleanSupplier closed;
    private final Supplier<UdpixException> closedBecause;
    /** In-flight items by transfer ID; I/O thread only (and the closing thread after the driver stopped). */
    private final Map<Integer, PendingSend> pending = new HashMap<>();

    ClientSends(Driver<Endpoint> driver, Endpoint endpoint, InetSocketAddress server, ClientRequests requests,
            int maxWaitingRequests, LongSupplier connectionId, BooleanSupplier closed,
            Supplier<UdpixException> closedBecause) {
        this.driver = driver;
        this.endpoint = endpoint;
        this.server = server;
        this.requests = requests;
        this.maxWaitingRequests = maxWaitingRequests;
        this.connectionId = connectionId;
        this.closed = closed;
        this.closedBecause = closedBecause;
    }

    /** See {@link UdpixClient#sendAsync(Item, ProgressListener)}; {@code resume}: see the builder's. */
    CompletableFuture<SendResult> sendAsync(Item item, ProgressListener listener, boolean resume) {
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        UdpixException gone = closedBecause.get();
        if (closed.getAsBoolean() || gone != null) {
            future.completeExceptionally(notDelivered(item, gone));
            return future;
        }
        TransferRequest request;
        try {
            request = item.openRequest(resume);
        } catch (UdpixException e) {
            future.completeExceptionally(e);
            return future;
        }
        PendingSend send = new PendingSend(item, future, listener);
        try {
            driver.execute(ep -> queue(send, request));
        } catch (RejectedExecutionException e) {
            request.source().close();
            future.completeExceptionally(closed.getAsBoolean() ? notDelivered(item, null) : new UdpixException(
                    UdpixException.Kind.REFUSED, -1, "cannot queue " + item + ": " + e.getMessage(), e));
            return future;
        }
        future.whenComplete((result, failure) -> {
            if (failure instanceof CancellationException) {
                cancelLater(send);
            }
        });
        return future;
    }

    /** See {@link UdpixClient#request(Item)}. */
    CompletableFuture<ReceivedItem> request(Item item) {
        CompletableFuture<ReceivedItem> reply = new CompletableFuture<>();
        UdpixException gone = closedBecause.get();
        if (closed.getAsBoolean() || gone != null) {
            reply.completeExceptionally(notDelivered(item, gone));
            return reply;
        }
        TransferRequest request;
        try {
            request = item.openReplyWantedRequest();
        } catch (UdpixException e) {
            reply.completeExceptionally(e);
            return reply;
        }
        PendingSend send = new PendingSend(item, new CompletableFuture<>(), ProgressListener.NONE);
        PendingRequest waiting = new PendingRequest(item, reply, System.nanoTime());
        // Runs where the delivery ends: on the I/O thread (or the closing thread once it stopped).
        send.future.whenComplete((result, failure) -> {
            if (failure != null) {
                requests.forget(connectionId.getAsLong(), send.transferId, waiting);
                reply.completeExceptionally(failure);
            } else {
                requests.confirmed(send.transferId, waiting);
            }
        });
        try {
            driver.execute(ep -> queueRequest(send, request, waiting));
        } catch (RejectedExecutionException e) {
            request.source().close();
            reply.completeExceptionally(closed.getAsBoolean() ? notDelivered(item, null) : new UdpixException(
                    UdpixException.Kind.REFUSED, -1, "cannot queue " + item + ": " + e.getMessage(), e));
            return reply;
        }
        reply.whenComplete((result, failure) -> {
            if (failure instanceof CancellationException) {
                cancelLater(send);
                try {
                    driver.execute(ep -> requests.forget(connectionId.getAsLong(), send.transferId, waiting));
                } catch (RejectedExecutionException e) {
                    // Closed: nothing waits any more.
                }
            }
        });
        return reply;
    }

    /** Waits for {@code future} of {@link UdpixClient#send}: its result, or its failure on the caller's thread. */
    static SendResult await(CompletableFuture<SendResult> future, Item item) throws UdpixException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw UdpixException.copyOnCallerThread(e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new UdpixException(UdpixException.Kind.CANCELLED, -1, "interrupted while sending " + item, e);
        }
    }

    /** Waits at most {@code timeout} for {@code future} of {@link UdpixClient#request(Item, Duration)}. */
    ReceivedItem awaitReply(CompletableFuture<ReceivedItem> future, Item item, Duration timeout)
            throws UdpixException {
        try {
            return future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw UdpixException.copyOnCallerThread(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new UdpixException(UdpixException.Kind.TIMED_OUT, -1, "no reply to '" + item.name() + "' from "
                    + Addresses.text(server) + " within " + Addresses.duration(timeout.toNanos())
                    + "; the server's handler may be slow or busy: wait longer", null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new UdpixException(UdpixException.Kind.CANCELLED, -1, "interrupted while waiting for the reply "
                    + "to " + item, e);
        }
    }

    // ------------------------------------------------------------------ I/O thread

    private void queue(PendingSend send, TransferRequest request) {
        UdpixException gone = closedBecause.get();
        if (gone != null || closed.getAsBoolean()) {
            request.source().close();
            send.future.completeExceptionally(notDelivered(send.item, gone));
            return;
        }
        long nowNs = System.nanoTime();
        long connection = connectionId.getAsLong();
        int id = endpoint.send(connection, request, nowNs);
        if (id < 0) {
            // The engine did not take the request (so it will not close the source): queue full or closing.
            request.source().close();
            ConnectionClosed cause = endpoint.closeCause(connection);
            if (cause != null) { // closed before its event reached us: the real cause (e.g. a refused key)
                int code = cause.errorCode() == ErrorCode.OK ? ErrorCode.CLOSED : cause.errorCode();
                String reason = cause.reason().isEmpty() ? ErrorCode.describe(code) : cause.reason();
                send.future.completeExceptionally(new UdpixException(UdpixException.kindOf(code, false), code,
                        "'" + send.item.name() + "' was not delivered: the connection to " + Addresses.text(server)
                                + " closed: " + reason, null));
                return;
            }
            send.future.completeExceptionally(new UdpixException(UdpixException.Kind.REFUSED, ErrorCode
                    .TOO_MANY_TRANSFERS, "'" + send.item.name() + "' was not queued: the connection is closing or "
                    + endpoint.config().maxQueuedSends + " items are already waiting; wait for some to finish",
                    null));
            return;
        }
        send.transferId = id;
        pending.put(id, send);
    }

    /** {@link #queue} for a request: it waits for its reply from the moment the engine took it. */
    private void queueRequest(PendingSend send, TransferRequest request, PendingRequest waiting) {
        if (requests.full()) {
            request.source().close();
            send.future.completeExceptionally(new UdpixException(UdpixException.Kind.REFUSED, -1, "'"
                    + send.item.name() + "' was not sent: " + maxWaitingRequests + " requests already wait for "
                    + "their replies; wait for some", null));
            return;
        }
        queue(send, request);
        if (send.transferId >= 0 && !send.future.isDone()) {
            requests.waiting(connectionId.getAsLong(), send.transferId, waiting);
        }
    }

    private void cancelLater(PendingSend send) {
        try {
            driver.execute(ep -> {
                if (send.transferId >= 0 && pending.remove(send.transferId) != null) {
                    endpoint.cancel(connectionId.getAsLong(), send.transferId, false, "cancelled by the sender",
                            System.nanoTime());
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the transfer ended with the connection.
        }
    }

    /** Follows an outgoing transfer's event (started, progress, completed, failed) to its item's future. */
    void onEvent(EndpointEvent event, long nowNs) {
        if (event instanceof TransferStarted t && !t.incoming()) {
            PendingSend send = pending.get(t.transferId());
            if (send != null) {
                send.progress(0, nowNs);
            }
        } else if (event instanceof TransferProgress p && !p.incoming()) {
            PendingSend send = pending.get(p.transferId());
            if (send != null && p.doneBytes() < p.sizeBytes()) {
                send.progress(p.doneBytes(), nowNs);
            }
        } else if (event instanceof TransferCompleted t && !t.incoming()) {
            PendingSend send = pending.remove(t.transferId());
            if (send != null) {
                send.progress(send.item.sizeBytes(), nowNs);
                send.future.complete(SendResult.of(send.item, t.info().sha256(), t.elapsedNs(),
                        t.resumedFromBytes()));
            }
        } else if (event instanceof TransferFailed f && !f.incoming()) {
            PendingSend send = pending.remove(f.transferId());
            if (send != null) {
                String reason = f.reason().isEmpty() ? ErrorCode.describe(f.errorCode()) : f.reason();
                send.future.completeExceptionally(new UdpixException(UdpixException.kindOf(f.errorCode(), false),
                        f.errorCode(), "'" + send.item.name() + "' was not delivered: " + reason, null));
            }
        }
    }

    /** The connection closed with {@code failure}: every item still here fails with it (I/O thread). */
    void connectionClosed(UdpixException failure) {
        // The engine failed every transfer before closing; anything still here never reached it.
        for (PendingSend send : new ArrayList<>(pending.values())) {
            send.future.completeExceptionally(notDelivered(send.item, failure));
        }
        pending.clear();
    }

    /** The client closed: every item still here fails (the closing thread once the I/O thread ended). */
    void clientClosed() {
        List<PendingSend> left = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingSend send : left) {
            send.future.completeExceptionally(notDelivered(send.item, null));
        }
    }

    /** Why {@code item} was not delivered: {@code because} the connection ended, or (null) the client closed. */
    static UdpixException notDelivered(Item item, UdpixException because) {
        if (because != null) {
            return new UdpixException(because.kind(), because.errorCode(), "'" + item.name()
                    + "' was not delivered: " + because.getMessage(), because);
        }
        return new UdpixException(UdpixException.Kind.CONNECTION_CLOSED, ErrorCode.CLOSED, "'" + item.name()
                + "' was not delivered: the client was closed first", null);
    }
}
