package io.udpix.api;

import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.api.stream.StreamStatus;
import io.udpix.api.trust.AllowedKeys;
import io.udpix.api.trust.KnownServers;
import io.udpix.driver.Driver;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.Drivers;
import io.udpix.driver.FirstHopMtu;
import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.crypto.KeyText;
import io.udpix.engine.crypto.PeerKeyPolicy;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferProgress;
import io.udpix.engine.event.TransferStarted;
import io.udpix.engine.transfer.ReplyMatcher;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends items to one udpix server over one connection. Any number of items may be in flight at once; each
 * succeeds only when the server confirmed it with its SHA-256. Thread-safe.
 *
 * <p>Futures complete, and progress listeners run, on the client's I/O thread: keep that work short, and use the
 * {@code *Async} stages of the future for anything slow. {@link #send} there fails instead of waiting forever.
 *
 * <p><b>Server keys: pin them.</b> Native mode is always encrypted, but <em>by default the client accepts any
 * server key</em>: the connection is private from onlookers, yet nothing proves it reaches the right server (an
 * attacker on the path could stand in for it). Pin the server's key with {@link Builder#serverKey(String)} (its
 * fingerprint, which {@code udpix serve} prints and {@code UdpixServer.fingerprint()} returns), or trust it on
 * first use with {@link Builder#knownServers(Path)} as ssh does. A refused server key fails
 * {@link Builder#connect()} with {@link UdpixException.Kind#AUTHENTICATION}; so does a server that does not admit
 * this client, though its refusal may arrive just after {@code connect()} returned and fail the first send.
 *
 * <pre>{@code
 * try (UdpixClient client = UdpixClient.builder(new InetSocketAddress("127.0.0.1", 9000))
 *         .serverKey("SHA256:...").connect()) {
 *     SendResult r = client.send(Item.file(Path.of("cat.jpg")));
 *     System.out.println(r.sha256Hex());
 * }
 * }</pre>
 */
public final class UdpixClient implements AutoCloseable {
    /** Progress reports for one item come at most this often (besides the first and the last). */
    public static final long PROGRESS_INTERVAL_NS = 100_000_000L;
    /** How long {@link #connect} waits for the server by default (the engine's handshake timeout). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default wait for a reply after the request was confirmed ({@link Builder#replyTimeout}). */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);
    /** Default largest reply taken ({@link Builder#maxReplyBytes}): 16 MiB. */
    public static final long DEFAULT_MAX_REPLY_BYTES = 16L << 20;
    /** Requests waiting for replies at once (bounds the tables; one more fails at once with REFUSED). */
    static final int MAX_WAITING_REQUESTS = 4_096;
    /** Bound on how long {@link #close} waits for the driver to send CLOSE. */
    private static final long CLOSE_WAIT_MS = 2_000;

    private final InetSocketAddress server;
    private final long connectTimeoutNs;
    private final KnownServers knownServers;
    /** Whether large files go resumable (see {@link Builder#resume}). */
    private final boolean resume;
    /** The server's key as the handshake proved it (set on the I/O thread, read by others). */
    private volatile byte[] serverKeySeen;
    private volatile String trustNotice;
    private final Endpoint endpoint;
    private final Driver<Endpoint> driver;
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final ClientStreams streams;
    /** In-flight items by transfer ID; I/O thread only (and the closing thread after the driver stopped). */
    private final Map<Integer, PendingSend> pending = new HashMap<>();
    /** Requests waiting for their replies, and the engine's sink factory that takes the replies (I/O thread). */
    private final ClientRequests requests;
    /** {@link ReplyMatcher#refusedUnsolicited()} when the I/O thread stopped. */
    private volatile long refusedAtClose;
    private final Object lifecycle = new Object();
    private final StreamRates streamRates = new StreamRates();
    private volatile Thread ioThread;
    private volatile UdpixException closedBecause;
    private volatile boolean closed;
    private long connectionId;
    /** Guarded by lifecycle: the known-servers file is written once, by the first awaitConnected. */
    private boolean trustRecorded;

    private UdpixClient(Builder b) throws IOException {
        this.resume = b.resume;
        if (b.cryptoWarmUp) {
            CryptoWarmUp.start();
        } else {
            CryptoWarmUp.prepare();
        }
        this.server = b.server;
        this.connectTimeoutNs = b.connectTimeout.toNanos();
        this.knownServers = b.serverKey == null ? b.knownServers : null;
        PeerKeyPolicy trust = b.serverKey != null ? ServerKeyPin.policy(b.serverKey)
                : knownServers != null ? knownServers.policy() : PeerKeyPolicy.ACCEPT_ANY;
        EndpointConfig.Builder config = EndpointConfig.builder()
                .acceptConnections(false)
                .staticKey(b.key) // null: the engine makes an ephemeral one
                .serverKeyPolicy((peer, key) -> {
                    serverKeySeen = key.clone();
                    return trust.check(peer, key);
                })
                .seed(b.seed != null ? b.seed : new SecureRandom().nextLong())
                .handshakeTimeoutNs(connectTimeoutNs)
                .idleTimeoutNs(b.idleTimeout.toNanos());
        // No datagram larger than the first hop carries whole (see FirstHopMtu); the HELLO tells the server too.
        FirstHopMtu.maxDatagramBytesTowards(server).ifPresent(max -> config.maxDatagramBytes(
                Math.max(EndpointConfig.MIN_DATAGRAM_BYTES, max)));
        config.maxSendRateBytesPerSecond(b.maxSendRateBytesPerSecond);
        b.endpointConfig.accept(config);
        // The client's endpoint takes only replies to its own waiting requests, up to the reply limit: anything
        // else a server tries to send it is refused at its OPEN and counted.
        this.requests = new ClientRequests(server, b.replyTimeout.toNanos(), b.maxReplyBytes, MAX_WAITING_REQUESTS);
        this.endpoint = new Endpoint(config.build(), requests.matcher());
        InetSocketAddress bind = b.bind != null ? b.bind : Addresses.clientBindFor(server);
        try {
            this.driver = Drivers.start(b.driverKind == null ? "auto" : b.driverKind, endpoint, bind, b.driverOptions,
                    this::onEvent);
        } catch (BindException e) {
            throw new UdpixException(UdpixException.Kind.CANNOT_BIND, -1, e.getMessage(), e);
        }
        this.streams = new ClientStreams(driver, endpoint, server);
        requests.attach(driver);
    }

    /**
     * Connects to {@code server} with the defaults and waits until it accepts.
     *
     * @throws UdpixException UNREACHABLE with "no answer from HOST:PORT within 10 s; is `udpix serve` running
     *                        there?" when nothing answers
     */
    public static UdpixClient connect(InetSocketAddress server) throws UdpixException {
        return builder(server).connect();
    }

    /** A builder for a client of {@code server}. */
    public static Builder builder(InetSocketAddress server) {
        return new Builder(server);
    }

    /** Sends HELLO (through the I/O thread) without waiting for the answer. */
    private void begin() throws UdpixException {
        connectionId = whileConnecting(driver.call(ep -> {
            ioThread = Thread.currentThread();
            return endpoint.connect(server, System.nanoTime());
        }), CLOSE_WAIT_MS);
    }

    /**
     * Waits for {@code step} of the handshake; a failure, a timeout or an interrupt closes the client and becomes
     * the {@link UdpixException} {@link Builder#connect()} documents.
     */
    private <T> T whileConnecting(java.util.concurrent.Future<T> step, long waitMs) throws UdpixException {
        try {
            return step.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close();
            throw UdpixException.copyOnCallerThread(e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new UdpixException(UdpixException.Kind.UNREACHABLE, -1, "no answer from "
                    + Addresses.text(server) + " within " + Addresses.duration(connectTimeoutNs)
                    + "; is `udpix serve` running there?", e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new UdpixException(UdpixException.Kind.CANCELLED, -1, "interrupted while connecting to "
                    + Addresses.text(server), e);
        }
    }

    /**
     * Waits until the server accepted the connection (at most the connect timeout), as {@link Builder#connect()}
     * does; for a client made by {@link Builder#start()}. Returns at once when it already did.
     *
     * @return this client
     * @throws UdpixException as {@link Builder#connect()} does; the client is then closed, and items sent before
     *                        fail with the same cause
     */
    public UdpixClient awaitConnected() throws UdpixException {
        // The engine ends the handshake at its timeout; the margin only guards against a stalled driver.
        whileConnecting(established, TimeUnit.NANOSECONDS.toMillis(connectTimeoutNs) + 5_000);
        synchronized (lifecycle) {
            if (!trustRecorded) {
                trustRecorded = true;
                recordTrust();
            }
        }
        return this;
    }

    /** After the handshake: writes a server trusted on first use to the known-servers file (caller's thread). */
    private void recordTrust() {
        if (knownServers == null) {
            return;
        }
        try {
            InetSocketAddress self = new InetSocketAddress(server.getAddress(), server.getPort());
            for (KnownServers.Recorded r : knownServers.recordNew()) {
                if (r.server().equals(self)) { // A list shared by several clients may record others' servers too.
                    trustNotice = r.notice();
                }
            }
        } catch (IOException e) {
            byte[] key = serverKeySeen;
            trustNotice = "trusting new server " + Addresses.text(server) + " key " + (key == null ? "?"
                    : KeyText.fingerprint(key)) + " for this connection only: could not record it in "
                    + knownServers.file() + " (" + e.getMessage() + ")";
        }
    }

    /**
     * The fingerprint of the key the server proved in the handshake; empty before it (and while the engine does
     * not check keys yet).
     */
    public Optional<String> serverFingerprint() {
        byte[] key = serverKeySeen;
        return key == null ? Optional.empty() : Optional.of(KeyText.fingerprint(key));
    }

    /**
     * What the user should be told about trust on first use, when this connection met a server new to the
     * known-servers file: "trusting new server 127.0.0.1:9000 key SHA256:... (recorded in FILE line N)".
     */
    public Optional<String> trustNotice() {
        return Optional.ofNullable(trustNotice);
    }

    /** The server's address. */
    public InetSocketAddress serverAddress() {
        return server;
    }

    /** The local address of the client's socket. */
    public InetSocketAddress localAddress() {
        return driver.localAddress();
    }

    /**
     * This client's figures now: its connection (peer, RTT, window, loss...), totals, drops by reason and frame
     * streams with their frame rates since the previous call. Counters are read without stopping the I/O thread;
     * stream figures wait up to 2 s for it (none if it does not answer), so never call it from a progress
     * listener or future callback running on that thread.
     */
    public SocketStats stats() {
        List<StreamStatus> streamFigures = streams.stats(localAddress());
        long atNs = System.nanoTime();
        return SocketStats.of(localAddress().getPort(), atNs, endpoint.stats().counters().snapshot(),
                streamRates.rates(streamFigures, atNs));
    }

    /**
     * This client socket's raw counters registry now, with its local port: each group's schema, labels and
     * values, for exporters that publish every metric by name. Lock-free: the I/O thread never waits.
     */
    public PortCounters counters() {
        return new PortCounters(localAddress().getPort(), endpoint.stats().counters().snapshot());
    }

    /**
     * Opens a frame stream to the server and waits until the server took it (at most the connect timeout).
     * Frames then go with {@link FrameStream#send}, which never waits for the network.
     *
     * @throws UdpixException when the server does not take streams or refuses this one (the message says why and
     *                        what to do), or the connection is closed
     */
    public FrameStream openStream(StreamOptions options) throws UdpixException {
        Objects.requireNonNull(options, "options");
        if (closed || closedBecause != null) {
            throw closedBecause != null ? closedBecause : new UdpixException(UdpixException.Kind.CONNECTION_CLOSED,
                    ErrorCode.CLOSED, "cannot open a stream: the client is closed", null);
        }
        return streams.open(connectionId, options, connectTimeoutNs);
    }

    /** The figures of this client's open streams (asks the I/O thread; empty if it does not answer in 2 s). */
    public List<StreamStatus> streamStats() {
        return streams.stats(localAddress());
    }

    /** Sends {@code item}; the future completes when the server confirmed it, or fails with a UdpixException. */
    public CompletableFuture<SendResult> sendAsync(Item item) {
        return sendAsync(item, ProgressListener.NONE);
    }

    /**
     * Sends {@code item}, telling {@code listener} how much the server confirmed so far. Cancelling the future
     * cancels the transfer (the server discards what it got).
     */
    public CompletableFuture<SendResult> sendAsync(Item item, ProgressListener listener) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(listener, "listener");
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        UdpixException gone = closedBecause;
        if (closed || gone != null) {
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
            future.completeExceptionally(closed ? notDelivered(item, null) : new UdpixException(
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

    /**
     * Sends {@code item} asking the server for a reply, and completes with the reply: an item the server sends
     * back on this connection, verified by SHA-256 like any item (held in memory, at most
     * {@link Builder#maxReplyBytes}). Fails with a UdpixException when the item is not delivered, when the server's
     * handler answered {@link Reply#error} or threw (the message is the server's), when the server has no handler
     * or is busy, or when no reply came within {@link Builder#replyTimeout} of the server's confirmation.
     * {@link Reply#none()} completes with an empty item.
     */
    public CompletableFuture<ReceivedItem> request(Item item) {
        Objects.requireNonNull(item, "item");
        CompletableFuture<ReceivedItem> reply = new CompletableFuture<>();
        UdpixException gone = closedBecause;
        if (closed || gone != null) {
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
                requests.forget(connectionId, send.transferId, waiting);
                reply.completeExceptionally(failure);
            } else {
                requests.confirmed(send.transferId, waiting);
            }
        });
        try {
            driver.execute(ep -> queueRequest(send, request, waiting));
        } catch (RejectedExecutionException e) {
            request.source().close();
            reply.completeExceptionally(closed ? notDelivered(item, null) : new UdpixException(
                    UdpixException.Kind.REFUSED, -1, "cannot queue " + item + ": " + e.getMessage(), e));
            return reply;
        }
        reply.whenComplete((result, failure) -> {
            if (failure instanceof CancellationException) {
                cancelLater(send);
                try {
                    driver.execute(ep -> requests.forget(connectionId, send.transferId, waiting));
                } catch (RejectedExecutionException e) {
                    // Closed: nothing waits any more.
                }
            }
        });
        return reply;
    }

    /**
     * As {@link #request(Item)}, waiting at most {@code timeout} in all for the reply.
     *
     * @throws UdpixException with the reason; {@link UdpixException.Kind#TIMED_OUT} when no reply came in time
     * @throws IllegalStateException when called on the client's I/O thread, where it would wait forever
     */
    public ReceivedItem request(Item item, Duration timeout) throws UdpixException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.currentThread() == ioThread) {
            throw new IllegalStateException("request() with a timeout was called on the udpix client's I/O thread "
                    + "(from a progress listener or a future's callback), where it would wait forever; use "
                    + "request(item) there");
        }
        CompletableFuture<ReceivedItem> future = request(item);
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

    /** Replies refused so far because they answered no request of this client waiting for one (a pushy server). */
    public long unsolicitedItemsRefused() {
        try {
            return driver.call(ep -> requests.matcher().refusedUnsolicited()).get(CLOSE_WAIT_MS,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return refusedAtClose;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refusedAtClose;
        }
    }

    /** Sends {@code item} and waits for the server's confirmation. */
    public SendResult send(Item item) throws UdpixException {
        return send(item, ProgressListener.NONE);
    }

    /**
     * Sends {@code item} and waits for the server's confirmation, reporting progress to {@code listener}.
     *
     * @throws UdpixException with the reason (refused, too large, timed out, connection closed...)
     * @throws IllegalStateException when called on the client's I/O thread, where it would wait forever
     */
    public SendResult send(Item item, ProgressListener listener) throws UdpixException {
        if (Thread.currentThread() == ioThread) {
            throw new IllegalStateException("send() was called on the udpix client's I/O thread (from a progress "
                    + "listener or a future's callback), where it would wait forever; use sendAsync there");
        }
        CompletableFuture<SendResult> future = sendAsync(item, listener);
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

    /**
     * Closes the connection (the server is told) and the socket. Items still in flight fail with
     * CONNECTION_CLOSED: wait for their futures first to deliver them. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (Thread.currentThread() == ioThread) {
            // From a listener or callback: waiting for the I/O thread here would wait for ourselves. The loop
            // sends the CLOSE in the rest of this pass and then stops.
            endpoint.close(connectionId, ErrorCode.OK, "the client closed the connection", System.nanoTime());
            driver.close();
            failLeftovers();
            return;
        }
        try {
            driver.call(ep -> {
                endpoint.close(connectionId, ErrorCode.OK, "the client closed the connection", System.nanoTime());
                return null;
            }).get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            // One more pass of the loop: the CLOSE queued above leaves in the pass that ran the command.
            driver.call(ep -> null).get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // The driver is stuck or gone: closing it below is all that is left to do.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            driver.close();
            // The I/O thread has ended (close joins it), so the map is ours now.
            failLeftovers();
        }
    }

    private void failLeftovers() {
        streams.connectionClosed(null);
        refusedAtClose = requests.matcher().refusedUnsolicited();
        requests.failAll(connectionId, null);
        List<PendingSend> left = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingSend send : left) {
            send.future.completeExceptionally(notDelivered(send.item, null));
        }
    }

    // ------------------------------------------------------------------ I/O thread

    private void queue(PendingSend send, TransferRequest request) {
        UdpixException gone = closedBecause;
        if (gone != null || closed) {
            request.source().close();
            send.future.completeExceptionally(notDelivered(send.item, gone));
            return;
        }
        long nowNs = System.nanoTime();
        int id = endpoint.send(connectionId, request, nowNs);
        if (id < 0) {
            // The engine did not take the request (so it will not close the source): queue full or closing.
            request.source().close();
            ConnectionClosed cause = endpoint.closeCause(connectionId);
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
                    + send.item.name() + "' was not sent: " + MAX_WAITING_REQUESTS + " requests already wait for "
                    + "their replies; wait for some", null));
            return;
        }
        queue(send, request);
        if (send.transferId >= 0 && !send.future.isDone()) {
            requests.waiting(connectionId, send.transferId, waiting);
        }
    }

    private void cancelLater(PendingSend send) {
        try {
            driver.execute(ep -> {
                if (send.transferId >= 0 && pending.remove(send.transferId) != null) {
                    endpoint.cancel(connectionId, send.transferId, false, "cancelled by the sender",
                            System.nanoTime());
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the transfer ended with the connection.
        }
    }

    private void onEvent(EndpointEvent event) {
        long nowNs = System.nanoTime();
        if (streams.onEvent(event)) {
            return;
        }
        if (event instanceof ConnectionEstablished) {
            established.complete(null);
        } else if (event instanceof ConnectionClosed c) {
            onClosed(c);
        } else if (event instanceof TransferStarted t && !t.incoming()) {
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

    private void onClosed(ConnectionClosed c) {
        boolean wasEstablished = established.isDone() && !established.isCompletedExceptionally();
        String message;
        if (c.errorCode() == ErrorCode.HANDSHAKE_TIMEOUT) {
            message = "no answer from " + Addresses.text(server) + " within " + Addresses.duration(connectTimeoutNs)
                    + "; is `udpix serve` running there?";
        } else if (!wasEstablished && !c.reason().isEmpty()) {
            message = c.reason(); // The engine's handshake reasons already name the server and the cause.
        } else if (c.reason().isEmpty()) {
            message = "the connection to " + Addresses.text(server) + " closed: " + ErrorCode.describe(c.errorCode());
        } else {
            message = "the connection to " + Addresses.text(server) + " closed: " + c.reason();
        }
        int code = c.errorCode() == ErrorCode.OK ? ErrorCode.CLOSED : c.errorCode();
        UdpixException failure = new UdpixException(UdpixException.kindOf(code, !wasEstablished), code, message,
                null);
        closedBecause = failure;
        established.completeExceptionally(failure);
        streams.connectionClosed(failure);
        requests.failAll(connectionId, failure);
        // The engine failed every transfer before closing; anything still here never reached it.
        for (PendingSend send : new ArrayList<>(pending.values())) {
            send.future.completeExceptionally(notDelivered(send.item, failure));
        }
        pending.clear();
    }

    private UdpixException notDelivered(Item item, UdpixException because) {
        if (because != null) {
            return new UdpixException(because.kind(), because.errorCode(), "'" + item.name()
                    + "' was not delivered: " + because.getMessage(), because);
        }
        return new UdpixException(UdpixException.Kind.CONNECTION_CLOSED, ErrorCode.CLOSED, "'" + item.name()
                + "' was not delivered: the client was closed first", null);
    }

    /** Options of a {@link UdpixClient}; {@link #connect()} makes it. */
    public static final class Builder {
        private final InetSocketAddress server;
        private InetSocketAddress bind;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private DriverOptions driverOptions = DriverOptions.defaults();
        private String driverKind;
        private Consumer<EndpointConfig.Builder> endpointConfig = b -> { };
        private Long seed;
        private String serverKey;
        private KnownServers knownServers;
        private StaticKeyPair key;
        private boolean cryptoWarmUp = true;
        private boolean resume = true;
        private long maxSendRateBytesPerSecond = Long.MAX_VALUE;
        private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
        private long maxReplyBytes = DEFAULT_MAX_REPLY_BYTES;

        private Builder(InetSocketAddress server) {
            Objects.requireNonNull(server, "server");
            this.server = server;
        }

        /**
         * How long {@link UdpixClient#request(Item)} waits for the reply after the server confirmed the request
         * (default 30 s); then the future fails with {@link UdpixException.Kind#TIMED_OUT}.
         */
        public Builder replyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("replyTimeout must be positive, was " + timeout);
            }
            this.replyTimeout = timeout;
            return this;
        }

        /**
         * The largest reply this client takes (default 16 MiB, held in memory); a larger one is refused
         * ({@code TOO_LARGE}) and the request fails. Replies arriving at once may declare at most 4 times this (at
         * least 64 MiB) together; a reply beyond that is refused and its request fails. Any item the server sends
         * that is not the reply to one of this connection's waiting requests is refused whatever its size, and
         * counted.
         */
        public Builder maxReplyBytes(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxReplyBytes must be 0.." + (Integer.MAX_VALUE - 8) + ", was "
                        + bytes);
            }
            this.maxReplyBytes = bytes;
            return this;
        }

        /** The local address to bind; default: loopback for a loopback server, else the wildcard, port 0. */
        public Builder bind(InetSocketAddress local) {
            this.bind = Objects.requireNonNull(local, "local");
            return this;
        }

        /** How long to wait for the server to answer the handshake (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** The connection closes when nothing is heard from the server for this long (default 30 s). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /** Socket buffers and loop bounds of the driver. */
        public Builder driverOptions(DriverOptions options) {
            this.driverOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Which driver runs the client: {@code auto}, {@code nio}, {@code epoll}... (see
         * {@code io.udpix.driver.Drivers}); unset, {@code auto} (NIO on loopback, else the best native driver;
         * {@code -Dudpix.driver=nio|epoll} overrides {@code auto}). An unknown or unavailable one makes
         * {@link #connect()} throw IllegalArgumentException or UnsupportedOperationException with the reason.
         */
        public Builder driver(String kind) {
            this.driverKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * Adjusts the engine's configuration after the builder's own settings (congestion control, limits...);
         * {@code acceptConnections} stays off whatever it sets, since a client takes no items.
         */
        public Builder endpointConfig(Consumer<EndpointConfig.Builder> customizer) {
            Consumer<EndpointConfig.Builder> given = Objects.requireNonNull(customizer, "customizer");
            this.endpointConfig = b -> given.accept(b.acceptConnections(false));
            return this;
        }

        /**
         * Whether to start the once-per-JVM AES-GCM warm-up thread (default: on), which gets the packet cipher
         * compiled before a large transfer needs it. A short-lived client that sends little (a command sending one
         * image) turns it off: the warm-up's CPU would compete with its own start-up and gain it nothing.
         */
        public Builder cryptoWarmUp(boolean on) {
            this.cryptoWarmUp = on;
            return this;
        }

        /**
         * Whether files of at least {@link Item#RESUMABLE_MIN_BYTES} go resumable (default: on; docs/PROTOCOL.md
         * section 5.5): the file is hashed before it is announced, and a receiver that kept part of it from an
         * interrupted transfer (its partial file) has only the rest sent; the stored file is still verified
         * whole. {@link SendResult#resumedFromBytes()} says where it started. Off: every byte is sent and a large
         * file starts moving at once (hashed while it is sent). Receivers without resume support (older udpix)
         * get every byte either way.
         */
        public Builder resume(boolean on) {
            this.resume = on;
            return this;
        }

        /**
         * Sends at most {@code bytesPerSecond} (the pacing rate's cap, whatever congestion control allows): leaves
         * room on a shared link. Default: no cap.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxSendRate(long bytesPerSecond) {
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("maxSendRate must be positive, was " + bytesPerSecond);
            }
            this.maxSendRateBytesPerSecond = bytesPerSecond;
            return this;
        }

        /** Seed of the connection IDs (default: from SecureRandom); set it only to reproduce a run. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Pins the server's key: the connection is made only if the server proves this key ({@code SHA256:}
         * fingerprint or Base64 public key), else {@link #connect()} fails with
         * {@link UdpixException.Kind#AUTHENTICATION} naming both fingerprints. Overrides {@link #knownServers}.
         *
         * @throws IllegalArgumentException when the text is neither a key nor a fingerprint
         */
        public Builder serverKey(String keyOrFingerprint) {
            Objects.requireNonNull(keyOrFingerprint, "keyOrFingerprint");
            AllowedKeys.of(List.of(keyOrFingerprint)); // Checks the text now, not at the handshake.
            this.serverKey = keyOrFingerprint.strip();
            return this;
        }

        /**
         * Trusts servers on first use, as ssh does, with the known-servers file {@code file} (see
         * {@link KnownServers}; read now, a missing file is empty): a server not in it is accepted and recorded
         * (see {@link UdpixClient#trustNotice()}), a server whose key changed is refused with
         * {@link UdpixException.Kind#AUTHENTICATION} and a message saying how to accept the change.
         *
         * @throws IOException naming the line of the file that cannot be read
         */
        public Builder knownServers(Path file) throws IOException {
            this.knownServers = KnownServers.load(Objects.requireNonNull(file, "file"));
            return this;
        }

        /** As {@link #knownServers(Path)} with a list already loaded (shared by several clients). */
        public Builder knownServers(KnownServers servers) {
            this.knownServers = Objects.requireNonNull(servers, "servers");
            return this;
        }

        /**
         * The client's static key, for servers that admit only listed keys ({@code allowKeys}). Default: a new
         * ephemeral key for every client.
         */
        public Builder key(StaticKeyPair value) {
            this.key = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * Starts the client and waits until the server accepts the connection.
         *
         * @throws UdpixException UNREACHABLE when the server does not answer within the connect timeout,
         *                        CANNOT_BIND when the local address cannot be bound
         */
        public UdpixClient connect() throws UdpixException {
            if (server.isUnresolved()) {
                throw new UdpixException(UdpixException.Kind.UNREACHABLE, "cannot resolve " + server.getHostString()
                        + "; check the host name or use an IP address");
            }
            return start().awaitConnected();
        }

        /**
         * Starts the client and sends the handshake's first message without waiting for the answer. Items given
         * to {@link UdpixClient#sendAsync} now wait in the engine and leave in the same flight as the handshake's
         * last message (no thread hand-off between the server's answer and the first data); nothing is sent
         * before the server's key passed the checks. Then call {@link UdpixClient#awaitConnected()}, which
         * reports what {@link #connect()} would.
         *
         * @throws UdpixException CANNOT_BIND when the local address cannot be bound, UNREACHABLE for a host that
         *                        does not resolve
         */
        public UdpixClient start() throws UdpixException {
            if (server.isUnresolved()) {
                throw new UdpixException(UdpixException.Kind.UNREACHABLE, "cannot resolve " + server.getHostString()
                        + "; check the host name or use an IP address");
            }
            UdpixClient client;
            try {
                client = new UdpixClient(this);
            } catch (UdpixException e) {
                throw e;
            } catch (IOException e) {
                throw new UdpixException(UdpixException.Kind.CANNOT_BIND, -1, "cannot open a UDP socket: "
                        + e.getMessage(), e);
            }
            client.begin();
            return client;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
