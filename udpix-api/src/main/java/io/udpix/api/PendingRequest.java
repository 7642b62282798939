package io.udpix.api;

import java.util.concurrent.CompletableFuture;

/** A request a client sent and whose reply it waits for; touched only on the client's I/O thread. */
final class PendingRequest {
    final Item item;
    final CompletableFuture<ReceivedItem> future;
    final long startNs;
    /** The reply's OPEN arrived: from then on its own transfer's failure, not the reply timeout, ends the wait. */
    boolean replyStarted;
    /** The connection it was sent on, once queued. */
    long connectionId;

    PendingRequest(Item item, CompletableFuture<ReceivedItem> future, long startNs) {
        this.item = item;
        this.future = future;
        this.startNs = startNs;
    }
}
