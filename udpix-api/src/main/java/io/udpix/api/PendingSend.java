package io.udpix.api;

import java.util.concurrent.CompletableFuture;

/** One item a client sent and is waiting to hear about; touched only on the client's I/O thread. */
final class PendingSend {
    private static final System.Logger LOG = System.getLogger(UdpixClient.class.getName());

    final Item item;
    final CompletableFuture<SendResult> future;
    private final ProgressListener listener;
    /** The engine's transfer ID once queued, else -1. */
    int transferId = -1;
    private long lastProgressNs = Long.MIN_VALUE;

    PendingSend(Item item, CompletableFuture<SendResult> future, ProgressListener listener) {
        this.item = item;
        this.future = future;
        this.listener = listener;
    }

    /** Reports progress unless the last report was less than the interval ago; always reports 0 and the end. */
    void progress(long doneBytes, long nowNs) {
        boolean edge = doneBytes == 0 || doneBytes == item.sizeBytes();
        if (!edge && lastProgressNs != Long.MIN_VALUE && nowNs - lastProgressNs < UdpixClient.PROGRESS_INTERVAL_NS) {
            return;
        }
        lastProgressNs = nowNs;
        try {
            listener.onProgress(doneBytes, item.sizeBytes());
        } catch (RuntimeException e) {
            // A listener's bug must not stop the I/O thread that every other item depends on.
            LOG.log(System.Logger.Level.WARNING, "progress listener for " + item + " failed: " + e, e);
        }
    }
}
