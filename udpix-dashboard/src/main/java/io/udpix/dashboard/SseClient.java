package io.udpix.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One SSE client's mailbox: the latest stats event (a newer one replaces it) and at most {@link #MAX_EVENTS}
 * image/JSON events (the oldest give way). Producers only append under the lock; the client's HTTP thread writes.
 */
final class SseClient {
    /** Image and JSON events waiting at most; a page that far behind only misses older ones. */
    static final int MAX_EVENTS = 64;
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ArrayDeque<byte[]> events = new ArrayDeque<>(MAX_EVENTS);
    private byte[] stats;
    private boolean ended;

    /** A new stats event (ticker thread). */
    synchronized void stats(byte[] event) {
        stats = event;
        notifyAll();
    }

    /** An image or JSON event (callback thread). */
    synchronized void event(byte[] event) {
        if (events.size() == MAX_EVENTS) {
            events.removeFirst();
        }
        events.addLast(event);
        notifyAll();
    }

    /** Stops the client's loop. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Writes events as they come, a ping after {@code pingNs} of silence, until ended or a write fails. */
    void run(OutputStream out, long pingNs) throws IOException {
        while (true) {
            byte[] next;
            synchronized (this) {
                long waitUntilNs = System.nanoTime() + pingNs;
                while (!ended && events.isEmpty() && stats == null) {
                    long leftNs = waitUntilNs - System.nanoTime();
                    if (leftNs <= 0) {
                        break;
                    }
                    try {
                        wait(Math.max(1, leftNs / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (ended) {
                    return;
                }
                if (!events.isEmpty()) {
                    next = events.removeFirst();
                } else if (stats != null) {
                    next = stats;
                    stats = null;
                } else {
                    next = PING;
                }
            }
            out.write(next);
            out.flush();
        }
    }
}
