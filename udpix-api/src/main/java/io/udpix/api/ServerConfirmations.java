package io.udpix.api;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that takes an {@link ItemPublisher}'s answers: it tells the engine (RESULT) and hands the item
 * to the callbacks, whose queue may make it wait, which must never stall the publisher's own threads (Kafka's
 * network thread completes the stages). Bounded: at most one task per item holding publisher room, and the queue
 * takes {@link #QUEUE_CAPACITY}; beyond, the completing thread runs the task itself rather than drop a RESULT.
 */
final class ServerConfirmations implements Executor {
    /** Answers waiting at most (each item holding publisher room has at most one). */
    static final int QUEUE_CAPACITY = 65_536;

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY), task -> {
                Thread t = new Thread(task, "udpix-publish-confirm");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /** Runs what is queued, then stops; waits at most {@code timeoutMs}. */
    void shutdown(long timeoutMs) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
