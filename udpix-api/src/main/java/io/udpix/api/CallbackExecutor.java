package io.udpix.api;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that runs a server's application callbacks (item handlers, event listener, image decoding)
 * in submission order, off the driver threads. Its queue is bounded: when the application falls behind, a
 * submitting driver thread waits, which stops that port reading and lets flow control slow the senders instead of
 * letting memory grow.
 */
final class CallbackExecutor {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** Tasks waiting at most; a task is an event or a received item. */
    static final int QUEUE_CAPACITY = 4096;

    private final ThreadPoolExecutor executor;
    private volatile Thread thread;
    /** Tasks handed to the callback thread so far: each is a hand-off between threads. */
    private final java.util.concurrent.atomic.AtomicLong submitted = new java.util.concurrent.atomic.AtomicLong();

    CallbackExecutor(String threadName) {
        RejectedExecutionHandler waitForRoom = (task, pool) -> {
            if (pool.isShutdown()) {
                return; // The server is closed: callbacks after close are dropped by contract.
            }
            try {
                pool.getQueue().put(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        }, waitForRoom);
    }

    /** Runs {@code task} later on the callback thread; a task's exception is logged, never propagated. */
    void submit(String what, Runnable task) {
        submitted.incrementAndGet();
        executor.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "udpix server callback (" + what + ") failed: " + e, e);
            }
        });
    }

    /** Tasks submitted so far (hand-offs to the callback thread). */
    long submitted() {
        return submitted.get();
    }

    /** Runs what is queued, then stops; waits at most {@code timeoutMs}. */
    void shutdown(long timeoutMs) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "udpix server callbacks still running after {0} ms; "
                        + "a handler is blocking, leaving it behind", timeoutMs);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the calling thread is the callback thread (where waiting for the callbacks would never end). */
    boolean isCallbackThread() {
        return Thread.currentThread() == thread;
    }
}
