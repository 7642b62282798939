package io.udpix.api;

import io.udpix.api.store.PartialWriter;
import io.udpix.api.store.Partials;
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
 *
 * <p>A resumable item (its OPEN said RESUMABLE and the store found or made it a partial, see {@link Partials})
 * goes to its partial file under {@code DIR/.udpix-partial} through a {@link PartialWriter} instead: from the
 * offset the partial already holds (the engine's RESUME), kept with its journal when the transfer fails, verified
 * whole and named at the commit. When the same content comes again while this transfer still runs (its sender was
 * killed; the connection has not timed out), the newcomer takes the partial over ({@link #handOver}): this sink
 * takes no more bytes, its lane writes what it had queued and brings the journal up to date, and its transfer is
 * cancelled in the engine.
 */
final class FileItemSink extends ItemSink implements Partials.Owner {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** Buffers one item may have waiting for its lane (256 KiB each: 1 MiB, about 1 ms of a fast disk). */
    static final int MAX_QUEUED_BUFFERS = 4;

    private final String safeName;
    private final AtomicInteger queuedBuffers = new AtomicInteger();
    /** The first write failure (a full disk); the driver thread reports it at the next store call. */
    private volatile IOException failure;
    /** Lane only. */
    private PendingFile file;
    /** The partial this resumable item writes, or null (then a temporary file as usual). */
    private Partials.Partial partial;
    /** Where the content starts (what the partial held when the transfer began). */
    private long resumeOffset;
    /** Lane only (made on the driver thread before any task): the partial's writes. */
    private PartialWriter writer;
    /** Guarded by this: content bytes taken from the engine (from {@link #resumeOffset}). */
    private long acceptedBytes;
    /** Guarded by this: a newer transfer of the same content took the partial over. */
    private boolean superseded;
    /** Lane only: the partial cannot be resumed (did not verify, or the commit failed): deleted at the end. */
    private boolean dropPartial;
    /** Cancels this item's transfer in the engine (on its port's driver thread); set by the port. */
    private volatile Runnable cancelInEngine = () -> { };
    /** Bytes of the metadata sidecar written beside the file (lane only). */
    private long sidecarBytes;

    FileItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info, String safeName,
            StorageLanes.Lane lane, StorageAdmission.Ticket ticket, CommitListener listener) {
        super(ctx, port, peer, info, lane, ticket, listener);
        this.safeName = safeName;
    }

    /**
     * Makes this item write {@code claimed} (a partial from the store's index) from {@code offset}; driver thread,
     * before the engine uses the sink.
     */
    void resumeWith(Partials.Partial claimed, long offset) {
        this.partial = claimed;
        this.resumeOffset = offset;
        this.writer = new PartialWriter(ctx.store, claimed, this, offset);
    }

    /** How the port cancels this item's transfer when a newer transfer takes its partial over. */
    void cancelWith(Runnable cancel) {
        this.cancelInEngine = cancel;
    }

    @Override
    public long resumeFromBytes() {
        return resumeOffset;
    }

    @Override
    public synchronized long handOver() {
        if (superseded || resumeOffset + acceptedBytes >= info.sizeBytes()) {
            return -1; // every byte is here: its commit runs, the newcomer goes without the partial
        }
        superseded = true;
        long taken = resumeOffset + acceptedBytes;
        PartialWriter w = writer;
        // After the writes it queued: the file then holds every byte it took. Should the lane be closed already (its
        // abort is queued), discard() hands it over instead, after those same writes.
        lane.submit(() -> w.handOff(failure == null), false);
        cancelInEngine.run();
        return taken;
    }

    @Override
    int store(ByteBuffer src) throws IOException {
        if (partial != null) {
            synchronized (this) {
                if (superseded) {
                    throw new IOException("a newer transfer of '" + info.name() + "' took over its partial file");
                }
                if (partial.broken()) {
                    throw new IOException("the partial file of '" + info.name() + "' was not fully written by the"
                            + " transfer this one took over from; send the item again (it starts from 0)");
                }
                if (!partial.ready()) {
                    return 0; // the transfer it took over from still writes its last bytes; retried in 1 ms
                }
                int n = storeBuffer(src);
                acceptedBytes += n;
                return n;
            }
        }
        return storeBuffer(src);
    }

    private int storeBuffer(ByteBuffer src) throws IOException {
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
                if (writer != null) {
                    writer.write(buffer);
                } else {
                    ctx.store.touched("write");
                    // The engine hands bytes over strictly in order, so the channel's position is the offset.
                    while (buffer.hasRemaining()) {
                        file.channel().write(buffer);
                    }
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
        if (file == null && writer == null) {
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
        Stored stored;
        if (writer != null) {
            try {
                stored = Stored.file(commitPartial());
            } catch (RefusedPathException e) {
                ctx.namesRefused.incrementAndGet();
                throw new TransferRefusedException(ErrorCode.REFUSED, e.getMessage());
            }
        } else {
            try {
                open(); // counts its own refusal
            } catch (RefusedPathException e) {
                throw new TransferRefusedException(ErrorCode.REFUSED, e.getMessage());
            }
            try {
                stored = Stored.file(ctx.store.commit(file));
            } catch (RefusedPathException e) {
                ctx.namesRefused.incrementAndGet();
                throw new TransferRefusedException(ErrorCode.REFUSED, e.getMessage());
            }
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

    /** Verifies the whole partial file (a resumed one: the engine saw only the rest) and names it. Lane. */
    private Path commitPartial() throws IOException, TransferRefusedException {
        dropPartial = true; // whatever fails from here, the partial is no use for a resume
        if (!writer.verified(info.sha256())) {
            throw new TransferRefusedException(ErrorCode.HASH_MISMATCH, "the SHA-256 of '" + info.name()
                    + "' resumed at byte " + resumeOffset + " does not match the one announced (the receiver's"
                    + " partial file differed); it was deleted: send the item again");
        }
        return writer.commit(safeName);
    }

    @Override
    long storedBytes(Stored stored) {
        return info.sizeBytes() + sidecarBytes;
    }

    @Override
    void discard() {
        if (writer != null) {
            boolean handedOff;
            synchronized (this) {
                handedOff = superseded;
            }
            if (handedOff) {
                writer.handOff(failure == null); // done already by its own task, unless the lane had closed
                return;
            }
            if (dropPartial || partial.broken()) {
                writer.drop();
            } else {
                writer.keep(); // a failed transfer: the bytes stay for a later resume
            }
            return;
        }
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
        if (partial != null) {
            return partial.file();
        }
        PendingFile f = file;
        return f == null ? null : f.tempPath();
    }
}
