package io.udpix.api;

import io.udpix.api.store.MetaSidecar;
import io.udpix.api.store.PendingFile;
import io.udpix.api.store.RefusedPathException;
import io.udpix.api.store.StorageLanes;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An item streamed into a hidden temporary file of the output directory ({@code .udpix-*.part}) and renamed to
 * its safe name (with its safe directories, see {@link io.udpix.api.store.TreeNames}) only once the engine
 * verified the SHA-256; aborting deletes the temporary file.
 *
 * <p>Every file-system call runs on the item's storage lane, never on the driver thread: {@link #store} copies
 * the engine's bytes into a pooled buffer and queues its write. When the item already has
 * {@link #MAX_QUEUED_BUFFERS} buffers queued, or the pool is empty, it takes nothing: the engine keeps the bytes,
 * retries a millisecond later and grants the sender no more credit, so a slow disk slows the sender instead of
 * growing memory. The temporary file is created by the lane's
 * first task (the commit's, for an empty item).
 */
final class FileItemSink extends ItemSink {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** Buffers one item may have waiting for its lane (256 KiB each: 1 MiB, about 1 ms of a fast disk). */
    static final int MAX_QUEUED_BUFFERS = 4;

    private final String safeName;
    private final AtomicInteger queuedBuffers = new AtomicInteger();
    /** The first write failure (a full disk); the driver thread reports it at the next store call. */
    private volatile IOException failure;
    /** Lane only. */
    private PendingFile file;
    /** Bytes of the metadata sidecar written beside the file (lane only). */
    private long sidecarBytes;

    FileItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info, String safeName,
            StorageLanes.Lane lane, StorageAdmission.Ticket ticket, CommitListener listener) {
        super(ctx, port, peer, info, lane, ticket, listener);
        this.safeName = safeName;
    }

    @Override
    int store(ByteBuffer src) throws IOException {
        IOException f = failure;
        if (f != null) {
            throw reported(f);
        }
        if (queuedBuffers.get() >= MAX_QUEUED_BUFFERS) {
            return 0;
        }
        ByteBuffer buffer = ctx.buffers.take();
        if (buffer == null) {
            return 0;
        }
        int n = Math.min(buffer.remaining(), src.remaining());
        int limit = src.limit();
        src.limit(src.position() + n);
        buffer.put(src);
        src.limit(limit);
        buffer.flip();
        queuedBuffers.incrementAndGet();
        if (!lane.submit(() -> writeOnLane(buffer), false)) {
            queuedBuffers.decrementAndGet();
            ctx.buffers.give(buffer);
            throw new IOException("the server is shutting down");
        }
        return n;
    }

    private void writeOnLane(ByteBuffer buffer) {
        try {
            if (failure == null) {
                open();
                int n = buffer.remaining();
                ctx.store.touched("write");
                // The engine hands bytes over strictly in order, so the channel's position is the content offset.
                while (buffer.hasRemaining()) {
                    file.channel().write(buffer);
                }
                if (ticket != null) {
                    ticket.written(n);
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(e.getMessage(), e);
        } finally {
            ctx.buffers.give(buffer);
            queuedBuffers.decrementAndGet();
        }
    }

    /**
     * A write failure as the engine reports it: a full disk becomes NO_SPACE with a reason for the sender, a
     * directory of the name that is a link or a file becomes REFUSED.
     */
    private static IOException reported(IOException failure) {
        if (failure instanceof RefusedPathException) {
            return new IOException(failure.getMessage(),
                    new TransferRefusedException(ErrorCode.REFUSED, failure.getMessage()));
        }
        if (!noSpace(failure)) {
            return failure;
        }
        String reason = "the receiver is out of space: its disk filled up while the item arrived ("
                + failure.getMessage() + "); ask its operator to free space";
        return new IOException(reason, new TransferRefusedException(ErrorCode.NO_SPACE, reason));
    }

    private void open() throws IOException {
        if (file == null) {
            try {
                file = ctx.store.create(safeName);
            } catch (RefusedPathException e) {
                ctx.namesRefused.incrementAndGet();
                throw e;
            }
        }
    }

    @Override
    Stored finish() throws IOException, TransferRefusedException {
        IOException f = failure;
        if (f != null) {
            if (noSpace(f)) {
                throw new TransferRefusedException(ErrorCode.NO_SPACE, reported(f).getMessage());
            }
            if (f instanceof RefusedPathException) {
                throw new TransferRefusedException(ErrorCode.REFUSED, f.getMessage());
            }
            throw f;
        }
        try {
            open(); // counts its own refusal
        } catch (RefusedPathException e) {
            throw new TransferRefusedException(ErrorCode.REFUSED, e.getMessage());
        }
        Stored stored;
        try {
            stored = Stored.file(ctx.store.commit(file));
        } catch (RefusedPathException e) {
            ctx.namesRefused.incrementAndGet();
            throw new TransferRefusedException(ErrorCode.REFUSED, e.getMessage());
        }
        if (!info.extensions().meta().isEmpty()) {
            try {
                sidecarBytes = MetaSidecar.write(ctx.store, stored.path, info.name(), info.extensions().meta(),
                        ctx.store.durable());
            } catch (IOException e) {
                // The file itself is stored and verified; its metadata still reaches the handlers.
                stored.warning = "metadata not stored beside " + stored.path.getFileName() + ": " + e
                        + "; it is still in the item's meta()";
                LOG.log(System.Logger.Level.WARNING, stored.warning);
            }
        }
        return stored;
    }

    @Override
    long storedBytes(Stored stored) {
        return info.sizeBytes() + sidecarBytes;
    }

    @Override
    void discard() {
        if (file == null) {
            return;
        }
        try {
            ctx.store.abort(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + file.tempPath() + ": " + e);
        }
    }

    /** The temporary file, once the lane created it (tests). */
    Path tempPath() {
        PendingFile f = file;
        return f == null ? null : f.tempPath();
    }
}
