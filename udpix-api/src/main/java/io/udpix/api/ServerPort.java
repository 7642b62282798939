package io.udpix.api;

import io.udpix.driver.Driver;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.Drivers;
import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.event.TransferStarted;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One listening port of a server: an endpoint on its own driver thread (the tutorial's thread per port), taking
 * items from any number of clients, each transfer kept apart by connection and transfer ID.
 */
final class ServerPort {
    /** Bound on each wait for the driver thread while closing. */
    private static final long DRIVER_WAIT_MS = 2_000;
    /** Entries kept for transfers the engine refused before any sink existed; each lives for one event pair. */
    private static final int MAX_TRACKED = 65_536;

    private final ServerContext ctx;
    private final ItemRouter router;
    private final Endpoint endpoint;
    private final PortStreams streams;
    private final Driver<Endpoint> driver;
    private final CountDownLatch bound = new CountDownLatch(1);
    private volatile int boundPort;
    private final StreamRates streamRates = new StreamRates();

    // Driver thread only.
    /** Infos that got a sink (the engine reports the same instance in TransferStarted). */
    private final Set<TransferInfo> sinkBacked = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Transfers the engine reported without a sink: refused before the sink factory, or by it. */
    private final Map<TransferKey, TransferInfo> refused = new HashMap<>();
    private final Map<Long, InetSocketAddress> peers = new HashMap<>();
    /**
     * Run when the next engine event arrives: items whose RESULT was just queued end only then, because events
     * come after the pass's sending, so {@code close()} (which waits for items, then for unacknowledged bytes)
     * sees the RESULT in flight. At most one entry per item in progress.
     */
    private final java.util.ArrayDeque<Runnable> afterNextEvent = new java.util.ArrayDeque<>();
    /**
     * Replies in flight, by connection and our transfer id, until the engine reports their end (bounded by the
     * engine's queued-send limit per connection: {@link Endpoint#send} refuses beyond it).
     */
    private final Map<TransferKey, SentReply> replies = new HashMap<>();

    private ServerPort(ServerContext ctx, EndpointConfig config, InetSocketAddress bind, DriverOptions options,
            String driverKind) throws IOException {
        this.ctx = ctx;
        this.router = new ItemRouter(ctx, this::sendReply);
        this.boundPort = bind.getPort();
        this.endpoint = new Endpoint(config, new io.udpix.engine.transfer.SinkFactory() {
            @Override
            public TransferSink open(long connectionId, InetSocketAddress peer, TransferInfo info)
                    throws TransferRefusedException {
                return ServerPort.this.open(connectionId, 0, peer, info);
            }

            @Override
            public TransferSink open(long connectionId, int transferId, InetSocketAddress peer, TransferInfo info)
                    throws TransferRefusedException {
                return ServerPort.this.open(connectionId, transferId, peer, info);
            }
        });
        this.streams = new PortStreams(ctx.streams, endpoint, this::localPort);
        this.driver = Drivers.start(driverKind == null ? "auto" : driverKind, endpoint, bind, options, this::onEvent);
        this.boundPort = driver.localAddress().getPort();
        bound.countDown();
    }

    /** Binds {@code bind} and starts taking items. */
    static ServerPort start(ServerContext ctx, EndpointConfig config, InetSocketAddress bind, DriverOptions options)
            throws IOException {
        return new ServerPort(ctx, config, bind, options, null);
    }

    /** As {@link #start(ServerContext, EndpointConfig, InetSocketAddress, DriverOptions)} with a named driver. */
    static ServerPort start(ServerContext ctx, EndpointConfig config, InetSocketAddress bind, DriverOptions options,
            String driverKind) throws IOException {
        return new ServerPort(ctx, config, bind, options, driverKind);
    }

    /** The bound address. */
    InetSocketAddress localAddress() {
        return driver.localAddress();
    }

    /** The engine's sink factory; driver thread. */
    private TransferSink open(long connectionId, int transferId, InetSocketAddress peer, TransferInfo info)
            throws TransferRefusedException {
        ItemSink sink = router.open(localPort(), connectionId, transferId, peer, info,
                (done, code, reason, then) -> commitDone(connectionId, done, code, reason, then));
        if (sink instanceof FileItemSink file) {
            // A newer transfer of the same content took its partial over: this one ends at once (a CANCELLED
            // RESULT), on this port's driver thread, after the current pass.
            file.cancelWith(() -> cancelTakenOver(connectionId, transferId));
        }
        if (sinkBacked.size() >= MAX_TRACKED) {
            sinkBacked.clear(); // Only if the engine stopped reporting the same TransferInfo instance.
        }
        sinkBacked.add(info);
        return sink;
    }

    private void cancelTakenOver(long connectionId, int transferId) {
        try {
            driver.execute(ep -> endpoint.cancel(connectionId, transferId, true,
                    "a newer transfer of the same file took over its partial file", System.nanoTime()));
        } catch (RejectedExecutionException e) {
            // The port is closing: the transfer ends with it.
        }
    }

    /**
     * A commit made on a storage thread ended: the engine sends the RESULT, on the driver thread. Should the
     * driver refuse (closing), the connection is being closed anyway and the sender hears that instead.
     */
    private void commitDone(long connectionId, ItemSink sink, int code, String reason, Runnable then) {
        try {
            driver.execute(ep -> {
                boolean queued = false;
                try {
                    queued = endpoint.completeCommit(connectionId, sink, code, reason, System.nanoTime());
                } finally {
                    if (queued) {
                        afterNextEvent.add(then);
                    } else {
                        then.run();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            then.run();
            System.getLogger(UdpixServer.class.getName()).log(System.Logger.Level.DEBUG,
                    "item stored but the port is closing; its RESULT is not sent");
        }
    }

    /**
     * Sends {@code reply} on connection {@code connectionId} as the answer to the peer's transfer {@code requestId}
     * (REPLY_TO, docs/PROTOCOL.md section 5.5). Any thread: the send itself runs on the driver thread; nothing
     * waits for it, its end is reported as a REPLIED event.
     */
    private void sendReply(long connectionId, int requestId, InetSocketAddress peer, Item reply) {
        io.udpix.engine.transfer.TransferRequest request;
        Item sent = reply;
        try {
            request = reply.openRequest(Integer.toUnsignedLong(requestId));
        } catch (UdpixException e) {
            // The handler's item cannot be read (a file that went away): the requester hears why.
            sent = Reply.error("the server's reply could not be read: " + e.getMessage()).toItem();
            try {
                request = sent.openRequest(Integer.toUnsignedLong(requestId));
            } catch (UdpixException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        io.udpix.engine.transfer.TransferRequest toSend = request;
        SentReply record = new SentReply(sent, peer, System.nanoTime());
        try {
            driver.execute(ep -> {
                int id = endpoint.send(connectionId, toSend, System.nanoTime());
                if (id < 0) {
                    toSend.source().close();
                    replyEnded(record, "not delivered: the connection to the requester closed");
                } else if (replies.size() < MAX_TRACKED) {
                    replies.put(new TransferKey(connectionId, id), record);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed, or its command queue full (the driver says which): the requester's timeout ends its wait.
            toSend.source().close();
            replyEnded(record, "not delivered: " + e.getMessage());
        }
    }

    /** A reply's transfer ended: the REPLIED event ({@code failure} null when the requester confirmed it). */
    private void replyEnded(SentReply reply, String failure) {
        if (!ctx.hasEventListener()) {
            return;
        }
        String error = reply.item.meta().get(ItemMeta.ERROR);
        String message = failure != null ? failure : error != null ? "error: " + error : null;
        long elapsedNs = System.nanoTime() - reply.startNs;
        long done = failure == null ? reply.item.sizeBytes() : 0;
        ctx.emit(new ServerEvent(ServerEvent.Type.REPLIED, reply.item.kind(), reply.item.name(), done,
                reply.item.sizeBytes(), reply.peer, localPort(), Duration.ofNanos(elapsedNs),
                Rates.bytesPerSecond(done, elapsedNs), null, null, message));
    }

    /** The real port; with port 0 asked for, a datagram could in theory beat the constructor's assignment. */
    private int localPort() {
        if (boundPort == 0) {
            try {
                bound.await(DRIVER_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return boundPort;
    }

    /** Engine events; driver thread. Sinks report their own items; this reports items refused without one. */
    private void onEvent(EndpointEvent event) {
        for (Runnable after = afterNextEvent.poll(); after != null; after = afterNextEvent.poll()) {
            after.run();
        }
        if (streams.onEvent(event)) {
            return;
        }
        if (event instanceof ConnectionEstablished c) {
            peers.put(c.connectionId(), c.peer());
        } else if (event instanceof ConnectionClosed c) {
            peers.remove(c.connectionId());
            refused.keySet().removeIf(key -> key.connectionId() == c.connectionId());
            replies.keySet().removeIf(key -> key.connectionId() == c.connectionId());
        } else if (event instanceof TransferStarted t && t.incoming()) {
            if (!sinkBacked.remove(t.info()) && refused.size() < MAX_TRACKED) {
                refused.put(new TransferKey(t.connectionId(), t.transferId()), t.info());
            }
        } else if (event instanceof TransferFailed f && f.incoming()) {
            TransferInfo info = refused.remove(new TransferKey(f.connectionId(), f.transferId()));
            if (info != null && ctx.hasEventListener()) {
                ItemKind kind = ItemKind.fromWire(info.kind());
                String reason = f.reason().isEmpty() ? ErrorCode.describe(f.errorCode()) : f.reason();
                ctx.emit(new ServerEvent(ServerEvent.Type.FAILED, kind, info.name(), 0, info.sizeBytes(),
                        peers.get(f.connectionId()), localPort(), Duration.ZERO, 0, null, null, reason));
            }
        } else if (event instanceof TransferCompleted t && t.incoming()) {
            refused.remove(new TransferKey(t.connectionId(), t.transferId()));
        } else if (event instanceof TransferCompleted t) {
            SentReply reply = replies.remove(new TransferKey(t.connectionId(), t.transferId()));
            if (reply != null) {
                replyEnded(reply, null);
            }
        } else if (event instanceof TransferFailed f) {
            SentReply reply = replies.remove(new TransferKey(f.connectionId(), f.transferId()));
            if (reply != null) {
                replyEnded(reply, "not delivered: " + (f.reason().isEmpty() ? ErrorCode.describe(f.errorCode())
                        : f.reason()));
            }
        }
    }

    /**
     * Bytes sent and not yet acknowledged on every connection (RESULT frames among them), plus one when a RESULT
     * is still held back to share a packet with an acknowledgement (it leaves within max_ack_delay); 0 if unknown.
     */
    long bytesInFlight() {
        try {
            return driver.call(ep -> endpoint.allConnectionStats().stream()
                    .mapToLong(ConnectionStats.Snapshot::bytesInFlight).sum() + (endpoint.owesResults() ? 1 : 0))
                    .get(DRIVER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The figures of this port's incoming streams; empty if the driver does not answer in time. */
    java.util.List<io.udpix.api.stream.StreamStatus> streamStats() {
        try {
            return driver.call(ep -> streams.stats()).get(DRIVER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return java.util.List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.List.of();
        }
    }

    /** This socket's raw registry now (lock-free: the driver goes on). */
    PortCounters counters() {
        return new PortCounters(localPort(), endpoint.stats().counters().snapshot());
    }

    /**
     * The engine's figures now: counters from its registry (lock-free, the driver goes on), stream figures from
     * the driver thread (none if it does not answer in time).
     */
    ServerStats stats() {
        // Streams first: once the driver answered, every datagram it handled before is in the counters below.
        java.util.List<io.udpix.api.stream.StreamStatus> streamFigures = streamStats();
        long atNs = System.nanoTime();
        return ServerStats.of(SocketStats.of(localPort(), atNs, endpoint.stats().counters().snapshot(),
                streamRates.rates(streamFigures, atNs)));
    }

    /**
     * Closes every connection (items still arriving fail, their temporary files are deleted, clients are told
     * {@code reason}), lets the CLOSE packets leave, then stops the driver thread and the socket.
     */
    void close(String reason) {
        try {
            driver.call(ep -> {
                endpoint.closeAll(ErrorCode.OK, reason, System.nanoTime());
                return null;
            }).get(DRIVER_WAIT_MS, TimeUnit.MILLISECONDS);
            // The CLOSE frames leave in the pass that ran the command; one more pass makes sure it ended.
            driver.call(ep -> null).get(DRIVER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // A stuck driver is closed below anyway; the output store deletes what its sinks left.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            driver.close();
        }
    }

    /** A reply being sent: what, to whom, since when. */
    private record SentReply(Item item, InetSocketAddress peer, long startNs) {
    }

    /** A transfer on this port. */
    private record TransferKey(long connectionId, int transferId) {
    }
}
