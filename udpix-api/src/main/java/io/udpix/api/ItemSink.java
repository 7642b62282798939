package io.udpix.api;

import io.udpix.api.store.ImageInspector;
import io.udpix.api.store.StorageLanes;
import io.udpix.wire.ErrorCode;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.engine.transfer.TransferSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where one incoming item goes on a server, and what is reported about it: STARTED when made (a small item's in
 * the same callback task as its end), PROGRESS while
 * bytes arrive, COMPLETED (after the image check and before the handler) or FAILED. The engine calls it on the
 * port's driver thread; the reports and the handler run on the callback thread.
 *
 * <p>An item with a storage lane (one that touches the output directory) never does file-system work on the
 * driver thread: {@link #store} hands bytes to the lane, and {@link #complete} only queues the commit there
 * ({@link #commitsLater}); the commit's outcome goes back to the engine through the {@link CommitListener}, and
 * only then does the sender get its RESULT.
 */
abstract class ItemSink implements TransferSink {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** Progress reports for one item come at most this often. */
    static final long PROGRESS_INTERVAL_NS = 100_000_000L;
    /**
     * Items up to this size (the credit every transfer starts with: they arrive within a round trip or so) report
     * STARTED together with their end, in the one callback task that delivers them, instead of in a task of its
     * own: one hand-off to the callback thread per small item, not two.
     */
    static final long SMALL_ITEM_BYTES = 64 * 1024;

    final ServerContext ctx;
    final int port;
    final InetSocketAddress peer;
    final TransferInfo info;
    final ItemKind kind;
    private final long startNs;
    private volatile long receivedBytes;
    private long lastProgressNs;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * A small item's STARTED report not made yet: it goes with the item's end (see {@link #SMALL_ITEM_BYTES}). Set
     * on the driver thread when made; taken by whichever thread reports the end (the lane's task is submitted
     * after, so it sees the value).
     */
    private boolean startedPending;
    /** Driver thread: complete() queued the commit; from then on abort() changes nothing. */
    private boolean committing;
    /**
     * The storage lane doing this item's file-system work in order: from the start for a file, only from
     * {@link #complete} for a JSON line (so a message that never completes holds no lane); null for an item that
     * stays in memory. Set on the driver thread before any task is queued.
     */
    StorageLanes.Lane lane;
    /** Whether the commit runs on a lane (the item touches the output directory). */
    private final boolean commitsOnLane;
    /** Its share of open files, quota and free space; null when nothing was reserved. */
    final StorageAdmission.Ticket ticket;
    private CommitListener listener;
    /**
     * With a publisher: the room it holds for this item, and the transfer's name in the dedup key
     * ({@code <connection id hex>-<transfer id>}); set by the router before the engine sees the sink.
     */
    private ItemPublisher.Reservation publication;
    private String transferName;
    /** Where the reply goes when the sender asked for one (set by the router on the driver thread), else null. */
    private ItemRequests.Target replyTarget;

    /** Told, on a storage thread, how the commit ended; passes it to the engine on the driver thread. */
    @FunctionalInterface
    interface CommitListener {
        /** Runs {@code then} after the engine took the outcome (or at once if it cannot be told). */
        void done(ItemSink sink, int code, String reason, Runnable then);
    }

    ItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info) {
        this(ctx, port, peer, info, null, null, null);
    }

    ItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info, StorageLanes.Lane lane,
            StorageAdmission.Ticket ticket, CommitListener listener) {
        this.lane = lane;
        this.commitsOnLane = lane != null || ticket != null;
        this.ticket = ticket;
        this.listener = listener;
        this.ctx = ctx;
        this.port = port;
        this.peer = peer;
        this.info = info;
        this.kind = ItemKind.fromWire(info.kind());
        this.startNs = System.nanoTime();
        this.lastProgressNs = startNs;
        ctx.itemStarted();
        if (ctx.hasEventListener()) {
            if (info.sizeBytes() <= SMALL_ITEM_BYTES) {
                startedPending = true;
            } else {
                ctx.emit(event(ServerEvent.Type.STARTED, 0, 0, null, null, null));
            }
        }
    }

    /**
     * Publishes the item through the server's publisher once it is final, and confirms it to its sender only when
     * the publisher says it is durable (docs/KAFKA.md). Driver thread, before the engine uses the sink.
     */
    void publishAs(ItemPublisher.Reservation reservation, String transfer, CommitListener commitListener) {
        this.publication = reservation;
        this.transferName = transfer;
        if (listener == null) {
            listener = commitListener;
        }
    }

    /** The sender asked for a reply: it goes to {@code target}. Driver thread, before the engine uses the sink. */
    void replyTo(ItemRequests.Target target) {
        this.replyTarget = target;
    }

    /** Takes bytes from {@code src} (the engine's reassembly buffer); returns how many. */
    abstract int store(ByteBuffer src) throws IOException;

    /**
     * Makes the item final (rename, JSON check and log); on the lane when there is one. Throwing refuses it (the
     * item is then discarded).
     */
    abstract Stored finish() throws TransferRefusedException, IOException;

    /** Bytes the stored item takes in the output directory (counted against the quota). */
    long storedBytes(Stored stored) {
        return 0;
    }

    /** Throws away what was stored (temporary file, memory); on the lane when there is one. */
    abstract void discard();

    /** Runs after the item's callbacks (releases memory held for them). */
    void afterCallbacks() {
    }

    @Override
    public final int write(ByteBuffer src) throws IOException {
        int n = store(src);
        advanced(receivedBytes + n);
        return n;
    }

    @Override
    public final void placed(long bytes) {
        advanced(bytes);
    }

    /** {@code bytes} of the item are stored: a PROGRESS report when one is due. */
    private void advanced(long bytes) {
        receivedBytes = bytes;
        if (ctx.hasEventListener() && receivedBytes < info.sizeBytes()) {
            long nowNs = System.nanoTime();
            if (nowNs - lastProgressNs >= PROGRESS_INTERVAL_NS) {
                lastProgressNs = nowNs;
                if (takeStarted()) { // a small item that takes long: STARTED before its first PROGRESS
                    ctx.emit(event(ServerEvent.Type.STARTED, 0, 0, null, null, null));
                }
                ctx.emit(event(ServerEvent.Type.PROGRESS, receivedBytes, nowNs - startNs, null, null, null));
            }
        }
    }

    @Override
    public final boolean commitsLater() {
        return commitsOnLane || publication != null;
    }

    @Override
    public final void complete(byte[] sha256) throws TransferRefusedException, IOException {
        long elapsedNs = System.nanoTime() - startNs;
        String sha256Hex = Sha256.hex(sha256);
        if (!commitsOnLane) {
            Stored stored;
            try {
                stored = finish();
            } catch (TransferRefusedException | IOException | RuntimeException e) {
                releasePublication();
                throw e;
            }
            if (publication != null) {
                committing = true;
                publish(stored, sha256Hex, elapsedNs);
                return;
            }
            end();
            deliver(stored, sha256Hex, elapsedNs);
            return;
        }
        if (lane == null) {
            lane = ctx.lanes.openLane();
            if (lane == null) {
                releasePublication();
                throw new TransferRefusedException(ErrorCode.SERVER_BUSY, "the receiver's storage has "
                        + ctx.lanes.openLanes() + " items queued (its limit); send it again shortly");
            }
        }
        committing = true;
        if (!lane.submit(() -> commitOnLane(sha256Hex, elapsedNs), true)) {
            committing = false;
            releasePublication();
            throw new TransferRefusedException(ErrorCode.SERVER_BUSY,
                    "the server is shutting down and could not store the item; send it again later");
        }
    }

    /** The commit, on a storage thread; then the engine is told (RESULT) and the callbacks get the item. */
    private void commitOnLane(String sha256Hex, long elapsedNs) {
        int code = ErrorCode.OK;
        String reason = "";
        Stored stored = null;
        try {
            stored = finish();
        } catch (TransferRefusedException e) {
            code = e.errorCode();
            reason = String.valueOf(e.getMessage());
        } catch (IOException | RuntimeException e) {
            code = noSpace(e) ? ErrorCode.NO_SPACE : ErrorCode.SINK_FAILED;
            reason = "the receiver could not store the item: " + e.getMessage();
        }
        if (code != ErrorCode.OK) {
            discard();
            releasePublication();
        }
        if (ticket != null) {
            ticket.release(stored == null ? 0 : storedBytes(stored));
        }
        if (stored != null && publication != null) {
            publish(stored, sha256Hex, elapsedNs);
            return;
        }
        // The item ends (close() stops waiting for it) only once its RESULT is queued in the engine.
        listener.done(this, code, reason, this::end);
        if (stored != null) {
            deliver(stored, sha256Hex, elapsedNs);
        } else if (ctx.hasEventListener()) {
            emitEnd(event(ServerEvent.Type.FAILED, receivedBytes, elapsedNs, null, null, reason));
        }
    }

    /**
     * Hands the final item to the publisher; once it is durable the sender gets its RESULT and the callbacks the
     * item, else the sender gets SERVER_BUSY with the reason (its send fails: nothing unconfirmed counts as sent).
     * A file already stored under the output directory stays there either way.
     */
    private void publish(Stored stored, String sha256Hex, long elapsedNs) {
        String fullName = info.name();
        int slash = fullName.lastIndexOf('/');
        String key = slash > 0 ? streamKey(fullName.substring(0, slash)) : null;
        PublishedItem item = new PublishedItem(kind, fullName.substring(slash + 1), info.mediaType(),
                info.sizeBytes(), sha256Hex, peer, port, java.time.Instant.now(),
                key != null ? key : PublishedItem.defaultStreamKey(port, peer),
                transferName + ":" + sha256Hex, stored.bytes, stored.path,
                stored.path == null || ctx.store == null ? null : ctx.store.dir().relativize(stored.path).toString(),
                info.extensions().meta());
        java.util.concurrent.CompletionStage<Void> stage;
        try {
            stage = ctx.publisher.publish(publication, item);
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        stage.whenCompleteAsync((ok, failure) -> published(stored, sha256Hex, elapsedNs, failure),
                ctx.confirmations);
    }

    /** The publisher answered; on the server's confirmation thread. */
    private void published(Stored stored, String sha256Hex, long elapsedNs, Throwable failure) {
        releasePublication();
        if (failure == null) {
            listener.done(this, ErrorCode.OK, "", this::end);
            deliver(stored, sha256Hex, elapsedNs);
            return;
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String reason = cause instanceof ReceiveQueue.Closed ? "the receiver " + cause.getMessage()
                + "; it is not confirmed: send it again later"
                : "the receiver could not publish the item (" + (cause.getMessage() == null
                ? cause.toString() : cause.getMessage()) + "); it is not confirmed: send it again later";
        LOG.log(System.Logger.Level.DEBUG, reason);
        listener.done(this, ErrorCode.SERVER_BUSY, reason, this::end);
        afterCallbacks(); // nothing goes to the callbacks: give memory back
        if (ctx.hasEventListener()) {
            emitEnd(event(ServerEvent.Type.FAILED, receivedBytes, elapsedNs, null, null, reason));
        }
    }

    /** A client-set stream key: the directory part of the sent name, control characters dropped. */
    private static String streamKey(String prefix) {
        StringBuilder key = new StringBuilder(prefix.length());
        prefix.codePoints().filter(c -> !Character.isISOControl(c)).forEach(key::appendCodePoint);
        String trimmed = key.toString().strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private void releasePublication() {
        if (publication != null) {
            publication.release();
        }
    }

    /** Reports an item's end, after its STARTED when that is still pending: one callback task either way. */
    private void emitEnd(ServerEvent end) {
        if (!takeStarted()) {
            ctx.emit(end);
            return;
        }
        ServerEvent started = event(ServerEvent.Type.STARTED, 0, 0, null, null, null);
        ctx.callbacks.submit("event listener", () -> {
            ctx.emitHere(started);
            ctx.emitHere(end);
        });
    }

    /** Whether STARTED is still to be reported (and now is, by the caller). */
    private boolean takeStarted() {
        boolean pending = startedPending;
        startedPending = false;
        return pending;
    }

    /** Whether {@code e} says the volume is full (ENOSPC; Java reports it only in the message). */
    static boolean noSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left") || message.contains("Disk quota"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public final void abort(String reason) {
        if (ended.get() || committing) {
            return;
        }
        committing = true; // abort happens once
        releasePublication();
        String why = reason == null || reason.isEmpty() ? "abandoned" : reason;
        if (ctx.hasEventListener()) {
            emitEnd(event(ServerEvent.Type.FAILED, receivedBytes, System.nanoTime() - startNs, null, null, why));
        }
        if (lane == null) {
            discard(); // in memory: nothing on disk yet
            if (ticket != null) {
                ticket.release(0);
            }
            end();
            return;
        }
        Runnable drop = () -> {
            discard();
            if (ticket != null) {
                ticket.release(0);
            }
            end();
        };
        if (!lane.submit(drop, true)) {
            // The storage threads stopped (the server is closing): the store deletes what is left when it closes.
            if (ticket != null) {
                ticket.release(0);
            }
            end();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            ctx.itemEnded();
        }
    }

    private static Optional<ImageInfo> inspect(Stored stored, ImageCheck check) {
        if (check == ImageCheck.DECODE) {
            return stored.path != null ? ImageInspector.verify(stored.path) : ImageInspector.verify(stored.bytes);
        }
        return stored.path != null ? ImageInspector.inspect(stored.path) : ImageInspector.inspect(stored.bytes);
    }

    /** Hands the verified item to the callback thread: image check, COMPLETED event, handler. */
    private void deliver(Stored stored, String sha256Hex, long elapsedNs) {
        Consumer<ReceivedItem> handler = ctx.handler(kind);
        ServerEvent started = takeStarted() ? event(ServerEvent.Type.STARTED, 0, 0, null, null, null) : null;
        ImageCheck check = kind == ItemKind.IMAGE || MediaTypes.isImageName(info.name())
                || MediaTypes.isImage(info.mediaType()) ? ctx.imageCheck : ImageCheck.NONE;
        ItemRequests.Target target = replyTarget;
        boolean toRequests = ctx.itemHandler != null || target != null;
        ctx.callbacks.submit(kind.label() + " handler", () -> {
            if (started != null) {
                ctx.emitHere(started);
            }
            boolean queued = false;
            // Memory held for the item goes back once this task, the receive queue and the request pool are done
            // with it (each holds it once).
            java.util.concurrent.atomic.AtomicInteger holds = new java.util.concurrent.atomic.AtomicInteger(1);
            Runnable release = () -> {
                if (holds.decrementAndGet() == 0) {
                    afterCallbacks();
                }
            };
            try {
                ImageInfo image = null;
                String warning = stored.warning;
                if (check != ImageCheck.NONE) {
                    image = inspect(stored, check).orElse(null);
                    if (image == null) {
                        warning = "'" + info.name() + "' has an image name or kind but does not decode as an image"
                                + (check == ImageCheck.HEADER ? " (its header is not one ImageIO reads)" : "")
                                + "; kept as it is";
                        LOG.log(System.Logger.Level.DEBUG, warning);
                    } else {
                        LOG.log(System.Logger.Level.DEBUG, "image {0}: {1}x{2} {3}", info.name(), image.width(),
                                image.height(), image.format());
                    }
                }
                ReceivedItem item = new ReceivedItem(kind, info.name(), info.mediaType(), info.sizeBytes(), sha256Hex,
                        peer, port, Duration.ofNanos(elapsedNs), stored.path, stored.bytes, image, warning,
                        info.extensions().meta());
                if (ctx.receiveQueue != null) {
                    // Its slot was taken before the sender was confirmed (ReceiveQueue.admit).
                    holds.incrementAndGet();
                    ctx.receiveQueue.put(item, release);
                    queued = true;
                }
                // Already on the callback thread: call the listener here (queueing onto our own full queue would
                // wait forever).
                ctx.emitHere(event(ServerEvent.Type.COMPLETED, info.sizeBytes(), elapsedNs, stored.path, image,
                        warning));
                if (handler != null) {
                    try {
                        handler.accept(item);
                    } catch (RuntimeException e) {
                        // The request still gets its answer from onItem.
                        LOG.log(System.Logger.Level.WARNING, "udpix " + kind.label() + " handler failed: " + e, e);
                    }
                }
                if (toRequests) {
                    holds.incrementAndGet();
                    ItemRequests.handOff(ctx, item, target, release);
                }
            } finally {
                if (!queued && ctx.receiveQueue != null) {
                    ctx.receiveQueue.abandon(peer);
                }
                release.run();
            }
        });
    }

    private ServerEvent event(ServerEvent.Type type, long doneBytes, long elapsedNs, Path savedPath, ImageInfo image,
            String message) {
        return new ServerEvent(type, kind, info.name(), doneBytes, info.sizeBytes(), peer, port,
                Duration.ofNanos(elapsedNs), Rates.bytesPerSecond(doneBytes, elapsedNs), savedPath, image, message);
    }

    /** A final item: a saved file or bytes in memory. */
    static final class Stored {
        final Path path;
        final byte[] bytes;
        /** A problem storing something beside the item (its metadata sidecar), or null. */
        String warning;

        private Stored(Path path, byte[] bytes) {
            this.path = path;
            this.bytes = bytes;
        }

        static Stored file(Path path) {
            return new Stored(path, null);
        }

        static Stored memory(byte[] bytes) {
            return new Stored(null, bytes);
        }
    }
}
