package io.udpix.api;

import io.udpix.api.store.ImageInfo;
import io.udpix.api.store.ImageInspector;
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
 * Where one incoming item goes on a server, and what is reported about it: STARTED when made, PROGRESS while
 * bytes arrive, COMPLETED (after the image check and before the handler) or FAILED. The engine calls it on the
 * port's driver thread; the reports and the handler run on the callback thread.
 */
abstract class ItemSink implements TransferSink {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** Progress reports for one item come at most this often. */
    static final long PROGRESS_INTERVAL_NS = 100_000_000L;

    final ServerContext ctx;
    final int port;
    final InetSocketAddress peer;
    final TransferInfo info;
    final ItemKind kind;
    private final long startNs;
    private long receivedBytes;
    private long lastProgressNs;
    private boolean ended;

    ItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info) {
        this.ctx = ctx;
        this.port = port;
        this.peer = peer;
        this.info = info;
        this.kind = ItemKind.fromWire(info.kind());
        this.startNs = System.nanoTime();
        this.lastProgressNs = startNs;
        ctx.itemStarted();
        if (ctx.hasEventListener()) {
            ctx.emit(event(ServerEvent.Type.STARTED, 0, 0, null, null, null));
        }
    }

    /** Takes bytes from {@code src} (the engine's reassembly buffer); returns how many. */
    abstract int store(ByteBuffer src) throws IOException;

    /** Makes the item final (rename, JSON check and log); throwing refuses it and the engine then aborts. */
    abstract Stored finish() throws TransferRefusedException, IOException;

    /** Throws away what was stored (temporary file, memory). */
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
                ctx.emit(event(ServerEvent.Type.PROGRESS, receivedBytes, nowNs - startNs, null, null, null));
            }
        }
    }

    @Override
    public final void complete(byte[] sha256) throws TransferRefusedException, IOException {
        long elapsedNs = System.nanoTime() - startNs;
        Stored stored = finish();
        end();
        deliver(stored, Sha256.hex(sha256), elapsedNs);
    }

    @Override
    public final void abort(String reason) {
        if (ended) {
            return;
        }
        discard();
        end();
        if (ctx.hasEventListener()) {
            ctx.emit(event(ServerEvent.Type.FAILED, receivedBytes, System.nanoTime() - startNs, null, null,
                    reason == null || reason.isEmpty() ? "abandoned" : reason));
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
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
        ImageCheck check = kind == ItemKind.IMAGE || MediaTypes.isImageName(info.name())
                || MediaTypes.isImage(info.mediaType()) ? ctx.imageCheck : ImageCheck.NONE;
        ctx.callbacks.submit(kind.label() + " handler", () -> {
            try {
                ImageInfo image = null;
                String warning = null;
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
                        peer, port, Duration.ofNanos(elapsedNs), stored.path, stored.bytes, image, warning);
                // Already on the callback thread: call the listener here (queueing onto our own full queue would
                // wait forever).
                ctx.emitHere(event(ServerEvent.Type.COMPLETED, info.sizeBytes(), elapsedNs, stored.path, image,
                        warning));
                if (handler != null) {
                    handler.accept(item);
                }
            } finally {
                afterCallbacks();
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
