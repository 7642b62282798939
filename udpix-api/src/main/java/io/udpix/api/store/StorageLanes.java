package io.udpix.api.store;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The storage threads: a small fixed pool doing every file-system call of a server (creating temporary files,
 * writing, fsync, naming, JSON lines) so that none runs on a driver (I/O) thread. Work comes in lanes, one per
 * item: a lane's tasks run in order, one at a time, while different lanes run in parallel.
 *
 * <p>Bounded: at most {@code maxLanes} lanes exist at once ({@link #openLane} returns null beyond), each lane
 * occupies at most one slot of the pool's queue, so the queue (of {@code maxLanes + 1}) never overflows; a lane's
 * own queue is bounded by its owner (see {@code FileItemSink}: a few buffers and one final task).
 */
public final class StorageLanes implements AutoCloseable {
    /** Tasks one lane runs before giving the thread to the next lane (fairness between items). */
    static final int TASKS_PER_TURN = 8;
    /** Tasks one lane may hold; its owner keeps far fewer. */
    static final int MAX_LANE_TASKS = 64;

    private final ThreadPoolExecutor pool;
    private final int maxLanes;
    private final AtomicInteger openLanes = new AtomicInteger();

    /** {@code threads} storage threads named {@code udpix-storage-N}, at most {@code maxLanes} lanes. */
    public StorageLanes(int threads, int maxLanes) {
        this.maxLanes = maxLanes;
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxLanes + 1), r -> {
                    Thread t = new Thread(r, "udpix-storage-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A new lane, or null when {@code maxLanes} are open (the caller refuses the item: the server is busy). */
    public Lane openLane() {
        while (true) {
            int n = openLanes.get();
            if (n >= maxLanes) {
                return null;
            }
            if (openLanes.compareAndSet(n, n + 1)) {
                return new Lane();
            }
        }
    }

    /** Lanes open now. */
    public int openLanes() {
        return openLanes.get();
    }

    /** Runs {@code task} once on a storage thread, outside any lane (a free-space refresh); false if refused. */
    public boolean runOnce(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** Whether the calling thread is a storage thread. */
    public static boolean isStorageThread() {
        return Thread.currentThread().getName().startsWith("udpix-storage-");
    }

    /** Runs what is queued (bounded by {@code waitMs}) and stops the threads. */
    public void shutdown(long waitMs) {
        pool.shutdown();
        try {
            pool.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(5_000);
    }

    /** One item's serial queue of storage tasks. */
    public final class Lane {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean scheduled;
        private boolean closed;

        private Lane() {
        }

        /**
         * Queues {@code task} after the lane's earlier ones. {@code last} closes the lane once it ran (its slot
         * goes back to the pool). Returns false when the lane is closed or the storage threads stopped.
         */
        public boolean submit(Runnable task, boolean last) {
            synchronized (this) {
                if (closed || tasks.size() >= MAX_LANE_TASKS) {
                    return false;
                }
                tasks.add(last ? () -> {
                    try {
                        task.run();
                    } finally {
                        openLanes.decrementAndGet();
                    }
                } : task);
                if (last) {
                    closed = true;
                }
                if (scheduled) {
                    return true;
                }
                scheduled = true;
            }
            return schedule();
        }

        private boolean schedule() {
            try {
                pool.execute(this::drain);
                return true;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                synchronized (this) {
                    scheduled = false;
                }
                return false;
            }
        }

        private void drain() {
            for (int i = 0; i < TASKS_PER_TURN; i++) {
                Runnable task;
                synchronized (this) {
                    task = tasks.poll();
                    if (task == null) {
                        scheduled = false;
                        return;
                    }
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // A task's own failure is its owner's business; the lane and the thread carry on.
                    System.getLogger(StorageLanes.class.getName()).log(System.Logger.Level.WARNING,
                            "udpix storage task failed: " + e, e);
                }
            }
            synchronized (this) {
                if (tasks.isEmpty()) {
                    scheduled = false;
                    return;
                }
            }
            schedule(); // more work: back of the queue, behind other lanes
        }
    }
}
