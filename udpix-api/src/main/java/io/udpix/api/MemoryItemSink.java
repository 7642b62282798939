package io.udpix.api;

import io.udpix.api.store.MessageLog;
import io.udpix.api.store.StorageLanes;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * An item collected in memory (at most the server's memory threshold; its size was reserved from the memory
 * budget before this sink was made). JSON is checked strictly on completion: an invalid document is refused
 * back to the sender with the parser's reason and not written anywhere.
 */
final class MemoryItemSink extends ItemSink {
    private final byte[] bytes;
    private int lengthBytes;
    private boolean released;
    /** Bytes the JSON line took in messages.jsonl (lane only). */
    private long logBytes;

    MemoryItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info) {
        this(ctx, port, peer, info, null, null, null);
    }

    /**
     * With a ticket (an output directory): the JSON line is appended on a storage lane, and the RESULT waits for
     * it; {@code lane} may be null (taken at completion).
     */
    MemoryItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info, StorageLanes.Lane lane,
            StorageAdmission.Ticket ticket, CommitListener listener) {
        super(ctx, port, peer, info, lane, ticket, listener);
        this.bytes = new byte[(int) info.sizeBytes()];
    }

    @Override
    int store(ByteBuffer src) {
        int n = Math.min(src.remaining(), bytes.length - lengthBytes);
        src.get(bytes, lengthBytes, n);
        lengthBytes += n;
        return n;
    }

    /** The engine places chunks straight into the item's array (no reassembly ring, no second copy). */
    @Override
    public byte[] placementArray() {
        return bytes;
    }

    @Override
    Stored finish() throws TransferRefusedException, IOException {
        if (kind == ItemKind.JSON) {
            String error = MessageLog.validateJson(bytes);
            if (error != null) {
                throw new TransferRefusedException(ErrorCode.REFUSED, error);
            }
            if (ctx.messageLog != null) {
                logBytes = ctx.messageLog.append(Instant.now(), peer, port, bytes, info.extensions().meta());
            }
        }
        return Stored.memory(bytes);
    }

    @Override
    long storedBytes(Stored stored) {
        return logBytes;
    }

    @Override
    void discard() {
        release();
    }

    @Override
    void afterCallbacks() {
        release();
    }

    private void release() {
        // Called from the driver thread or the lane (discard) or the callback thread (afterCallbacks), never two of
        // them: an item either fails before its callbacks are queued or succeeds.
        if (!released) {
            released = true;
            ctx.releaseMemory(bytes.length);
        }
    }
}
