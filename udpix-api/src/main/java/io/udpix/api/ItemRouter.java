package io.udpix.api;

import io.udpix.api.store.StorageLanes;
import io.udpix.api.store.TreeNames;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;

/**
 * Decides where an incoming item goes, or refuses it with a reason the sender sees:
 * <ul>
 *   <li>JSON: in memory (at most the memory threshold), then messages.jsonl and/or the JSON handler;</li>
 *   <li>images, files and bytes with an output directory: streamed to a temporary file there;</li>
 *   <li>without one: in memory for the kind's handler, up to the memory threshold;</li>
 *   <li>a kind nobody takes (no directory, no handler, no publisher) is refused;</li>
 *   <li>with a publisher, room there is reserved first (see {@link ItemPublisher}).</li>
 * </ul>
 */
final class ItemRouter {
    private final ServerContext ctx;
    /** Where replies to requests received through this router go (their port's driver); null: nowhere (tests). */
    private final ReplyChannel replies;

    ItemRouter(ServerContext ctx) {
        this(ctx, null);
    }

    ItemRouter(ServerContext ctx, ReplyChannel replies) {
        this.ctx = ctx;
        this.replies = replies;
    }

    /**
     * A sink for {@code info} from {@code peer} on {@code port}; {@code listener} hears how a commit made on a
     * storage thread ended. Runs on the driver thread: no file-system call here (the temporary file is created
     * by the item's storage lane), only the in-memory admission checks.
     */
    ItemSink open(int port, InetSocketAddress peer, TransferInfo info, ItemSink.CommitListener listener)
            throws TransferRefusedException {
        return open(port, 0, 0, peer, info, listener);
    }

    /**
     * As {@link #open(int, InetSocketAddress, TransferInfo, ItemSink.CommitListener)} for transfer
     * {@code transferId} of connection {@code connectionId}: with a publisher, room is reserved there first (a
     * full publisher refuses the item before any byte is sent: SERVER_BUSY, "try again later").
     */
    ItemSink open(int port, long connectionId, int transferId, InetSocketAddress peer, TransferInfo info,
            ItemSink.CommitListener listener) throws TransferRefusedException {
        if (ctx.closing()) {
            throw new TransferRefusedException(ErrorCode.SERVER_BUSY, "the server is shutting down; try again later");
        }
        if (ctx.publisher == null) {
            return answering(route(port, peer, info, listener), connectionId, transferId);
        }
        ItemPublisher.Reservation reservation;
        try {
            reservation = ctx.publisher.reserve(peer, ItemKind.fromWire(info.kind()), info.sizeBytes());
        } catch (PublisherRefusedException e) {
            throw new TransferRefusedException(e.tryLater() ? ErrorCode.SERVER_BUSY : ErrorCode.TOO_LARGE,
                    e.getMessage());
        }
        ItemSink sink;
        try {
            sink = route(port, peer, info, listener);
        } catch (TransferRefusedException | RuntimeException | Error e) {
            reservation.release();
            throw e;
        }
        sink.publishAs(reservation, String.format("%016x-%d", connectionId, transferId), listener);
        return answering(sink, connectionId, transferId);
    }

    /** Tells {@code sink} where its reply goes when its sender asked for one. */
    private ItemSink answering(ItemSink sink, long connectionId, int transferId) {
        if (replies != null && sink.info.extensions().replyWanted()) {
            sink.replyTo(new ItemRequests.Target(replies, connectionId, transferId, sink.peer));
        }
        return sink;
    }

    private ItemSink route(int port, InetSocketAddress peer, TransferInfo info, ItemSink.CommitListener listener)
            throws TransferRefusedException {
        ItemKind kind = ItemKind.fromWire(info.kind());
        if (kind == ItemKind.JSON) {
            if (ctx.messageLog == null && !taken(kind)) {
                throw refusedKind(kind);
            }
            if (info.sizeBytes() > ctx.memoryThresholdBytes) {
                throw new TransferRefusedException(ErrorCode.TOO_LARGE, "a JSON message of " + info.sizeBytes()
                        + " bytes exceeds this server's limit of " + ctx.memoryThresholdBytes
                        + " bytes for JSON; send it as a file");
            }
            if (ctx.messageLog != null) {
                return toLog(port, peer, info, listener);
            }
            return inMemory(port, peer, info);
        }
        if (ctx.store != null) {
            return toFile(port, peer, info, kind, listener);
        }
        if (!taken(kind)) {
            throw refusedKind(kind);
        }
        if (info.sizeBytes() > ctx.memoryThresholdBytes) {
            throw new TransferRefusedException(ErrorCode.TOO_LARGE, "an item of " + info.sizeBytes()
                    + " bytes exceeds this server's in-memory limit of " + ctx.memoryThresholdBytes
                    + " bytes (it has no output directory)");
        }
        return inMemory(port, peer, info);
    }

    /** Whether something takes items of {@code kind} without an output directory. */
    private boolean taken(ItemKind kind) {
        return ctx.handler(kind) != null || ctx.itemHandler != null || ctx.publisher != null;
    }

    private ItemSink inMemory(int port, InetSocketAddress peer, TransferInfo info) throws TransferRefusedException {
        if (!ctx.reserveMemory(info.sizeBytes())) {
            throw new TransferRefusedException(ErrorCode.SERVER_BUSY, "the server holds " + ctx.memoryBudgetBytes()
                    + " bytes of items its application has not taken yet; try again shortly");
        }
        try {
            return new MemoryItemSink(ctx, port, peer, info);
        } catch (RuntimeException | Error e) {
            ctx.releaseMemory(info.sizeBytes());
            throw e;
        }
    }

    /** A JSON message for messages.jsonl: in memory, its line appended on a storage lane once it is complete. */
    private ItemSink toLog(int port, InetSocketAddress peer, TransferInfo info, ItemSink.CommitListener listener)
            throws TransferRefusedException {
        StorageAdmission.Ticket ticket = ctx.admission.admit(peer.getAddress(), info.sizeBytes(), false);
        boolean memory = false;
        try {
            if (!ctx.reserveMemory(info.sizeBytes())) {
                throw new TransferRefusedException(ErrorCode.SERVER_BUSY, "the server holds "
                        + ctx.memoryBudgetBytes() + " bytes of items its application has not taken yet; "
                        + "try again shortly");
            }
            memory = true;
            // No lane yet: it is taken when the message is complete (see ItemSink.complete).
            return new MemoryItemSink(ctx, port, peer, info, null, ticket, listener);
        } catch (TransferRefusedException | RuntimeException | Error e) {
            undo(ticket, null, memory ? info.sizeBytes() : 0);
            throw e;
        }
    }

    private ItemSink toFile(int port, InetSocketAddress peer, TransferInfo info, ItemKind kind,
            ItemSink.CommitListener listener) throws TransferRefusedException {
        // A name's directories are kept under the output directory (docs/PROTOCOL.md 4.4), each part made safe.
        String safeName;
        try {
            safeName = TreeNames.parse(info.name()).map(TreeNames.SafePath::relative).orElse(null);
        } catch (TreeNames.RefusedNameException e) {
            ctx.namesRefused.incrementAndGet();
            throw new TransferRefusedException(ErrorCode.REFUSED, e.getMessage());
        }
        if (safeName == null) {
            // Numbered only when needed, so the numbers count the nameless items.
            safeName = fallbackName(kind, info.mediaType());
        }
        StorageAdmission.Ticket ticket = ctx.admission.admit(peer.getAddress(), info.sizeBytes(), true);
        StorageLanes.Lane lane = null;
        try {
            lane = openLane();
            FileItemSink sink = new FileItemSink(ctx, port, peer, info, safeName, lane, ticket, listener);
            if (ResumeSeam.resumable(info)) {
                resumable(sink, peer, info);
            }
            return sink;
        } catch (TransferRefusedException | RuntimeException | Error e) {
            undo(ticket, lane, 0);
            throw e;
        }
    }

    /**
     * A resumable item (docs/PROTOCOL.md section 5.5) writes a partial file: one the store holds for the same
     * content (resumed where its journal says, or taken over from a transfer still running), or a new one.
     * In memory only (driver thread); partials evicted to make room are deleted on a storage thread.
     */
    private void resumable(FileItemSink sink, InetSocketAddress peer, TransferInfo info) {
        io.udpix.api.store.Partials.Claim claim = ctx.store.partials().claim(info.name(), info.sizeBytes(),
                info.sha256(), peer.getAddress().getHostAddress(), sink, System.currentTimeMillis());
        if (!claim.evicted().isEmpty()) {
            java.util.List<java.nio.file.Path> doomed = claim.evicted();
            io.udpix.api.store.Partials partials = ctx.store.partials();
            ctx.lanes.runOnce(() -> {
                for (java.nio.file.Path path : doomed) {
                    try {
                        if (!partials.inUse(path)) {
                            ctx.store.touched("partial-evict");
                            java.nio.file.Files.deleteIfExists(path);
                        }
                    } catch (java.io.IOException e) {
                        // Left for the next start, which drops partials without a matching journal.
                    }
                }
            });
        }
        if (claim.partial() != null) {
            sink.resumeWith(claim.partial(), claim.offsetBytes());
        }
    }

    private StorageLanes.Lane openLane() throws TransferRefusedException {
        StorageLanes.Lane lane = ctx.lanes.openLane();
        if (lane == null) {
            throw new TransferRefusedException(ErrorCode.SERVER_BUSY, "the receiver's storage has "
                    + ctx.lanes.openLanes() + " items queued (its limit); try again shortly");
        }
        return lane;
    }

    private void undo(StorageAdmission.Ticket ticket, StorageLanes.Lane lane, long memoryBytes) {
        ticket.release(0);
        if (lane != null) {
            lane.submit(() -> { }, true); // gives the lane's slot back
        }
        if (memoryBytes > 0) {
            ctx.releaseMemory(memoryBytes);
        }
    }

    /** {@code image-7.png}, {@code file-7.bin}, {@code item-7.bin}: for items whose name leaves nothing usable. */
    private String fallbackName(ItemKind kind, String mediaType) {
        long n = ctx.nextItemNumber();
        switch (kind) {
            case IMAGE:
                return "image-" + n + "." + MediaTypes.extensionFor(mediaType);
            case FILE:
                return "file-" + n + "." + MediaTypes.extensionFor(mediaType);
            default:
                return "item-" + n + "." + MediaTypes.extensionFor(mediaType);
        }
    }

    private static TransferRefusedException refusedKind(ItemKind kind) {
        return new TransferRefusedException(ErrorCode.REFUSED, "this server does not take " + kind.label()
                + " items");
    }
}
