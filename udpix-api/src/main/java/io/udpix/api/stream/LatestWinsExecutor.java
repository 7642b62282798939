package io.udpix.api.stream;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread running tasks per key with latest wins: each key holds at most {@code depth} replaceable tasks
 * (frames) waiting; one more drops the oldest waiting one (counted), so a slow consumer skips frames instead of
 * building a queue, and {@link #submit} never waits. A depth above 1 absorbs the bursts in which a network thread
 * hands over several frames at once (a frame completed late releases the ones behind it). Essential tasks (a
 * stream's end) are never replaced and run after the key's waiting frames. Keys are served in the order they became
 * ready; within a key, tasks run in submission order.
 *
 * <p>Bounded: at most {@code maxKeys} keys wait at once and each holds {@code depth} frames and at most
 * {@link #MAX_ESSENTIAL_PER_KEY} essential tasks; beyond that a task is dropped and counted.
 */
public final class LatestWinsExecutor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LatestWinsExecutor.class.getName());
    /** Essential tasks a key may hold waiting (a stream ends once; this only bounds a misuse). */
    public static final int MAX_ESSENTIAL_PER_KEY = 4;

    private final int maxKeys;
    private final int depth;
    private final Object lock = new Object();
    /** Keys with something waiting, in the order they became ready; guarded by {@link #lock}. */
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final Map<Object, Pending> pending = new HashMap<>();
    private final Map<Object, Long> droppedByKey = new HashMap<>();
    private final Thread thread;
    private long dropped;
    private long droppedOverLimit;
    private boolean closing;

    /** Starts the thread {@code threadName}; at most {@code maxKeys} keys wait at once, one frame each. */
    public LatestWinsExecutor(String threadName, int maxKeys) {
        this(threadName, maxKeys, 1);
    }

    /** Starts the thread {@code threadName}; at most {@code maxKeys} keys wait, {@code depth} frames each. */
    public LatestWinsExecutor(String threadName, int maxKeys, int depth) {
        Objects.requireNonNull(threadName, "threadName");
        if (maxKeys < 1 || depth < 1 || depth > 64) {
            throw new IllegalArgumentException("maxKeys must be at least 1 and depth 1-64, was " + maxKeys + " and "
                    + depth);
        }
        this.maxKeys = maxKeys;
        this.depth = depth;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues {@code task} for {@code key}, replacing a replaceable task of that key that has not started (which
     * is then dropped and counted); returns false when {@code task} itself was dropped (closed, or over the
     * limits). Never waits.
     */
    public boolean submit(Object key, Runnable task) {
        return enqueue(key, task, false);
    }

    /** Queues {@code task} for {@code key} after what it holds, never replaced; false when dropped. */
    public boolean submitEssential(Object key, Runnable task) {
        return enqueue(key, task, true);
    }

    private boolean enqueue(Object key, Runnable task, boolean essential) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            if (closing) {
                return false;
            }
            Pending p = pending.get(key);
            if (p == null) {
                if (pending.size() >= maxKeys) {
                    droppedOverLimit++;
                    return false;
                }
                p = new Pending();
                pending.put(key, p);
                ready.add(key);
                lock.notifyAll();
            }
            if (essential) {
                if (p.essentials.size() >= MAX_ESSENTIAL_PER_KEY) {
                    droppedOverLimit++;
                    return false;
                }
                p.essentials.add(task);
            } else if (!p.essentials.isEmpty()) {
                // A frame after an end of the same key cannot be ordered before it; such a frame is stale anyway.
                countDrop(key);
                return false;
            } else {
                if (p.frames.size() >= depth) {
                    p.frames.poll(); // The oldest waiting frame gives way (latest wins).
                    countDrop(key);
                }
                p.frames.add(task);
            }
            return true;
        }
    }

    private void countDrop(Object key) {
        dropped++;
        if (droppedByKey.size() < maxKeys || droppedByKey.containsKey(key)) {
            droppedByKey.merge(key, 1L, Long::sum);
        }
    }

    /** Tasks replaced by newer ones of the same key, over all keys. */
    public long dropped() {
        synchronized (lock) {
            return dropped;
        }
    }

    /** Tasks dropped because the executor was at its key limit or a key held too many essential tasks. */
    public long droppedOverLimit() {
        synchronized (lock) {
            return droppedOverLimit;
        }
    }

    /** Replaced tasks of {@code key} so far. */
    public long dropped(Object key) {
        synchronized (lock) {
            return droppedByKey.getOrDefault(key, 0L);
        }
    }

    /** Forgets the drop count of {@code key} (when its stream ended), keeping the memory bounded. */
    public void forget(Object key) {
        synchronized (lock) {
            droppedByKey.remove(key);
        }
    }

    /** Whether the calling thread is this executor's thread. */
    public boolean isExecutorThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (true) {
            Runnable[] first;
            Runnable[] after;
            synchronized (lock) {
                while (ready.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (ready.isEmpty()) {
                    return;
                }
                Object key = ready.poll();
                Pending p = pending.remove(key);
                first = p.frames.toArray(new Runnable[0]);
                after = p.essentials.toArray(new Runnable[0]);
            }
            for (Runnable task : first) {
                runQuietly(task);
            }
            for (Runnable task : after) {
                runQuietly(task);
            }
        }
    }

    private static void runQuietly(Runnable task) {
        if (task == null) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "udpix frame callback failed: " + e, e);
        }
    }

    /**
     * Runs what is waiting, then stops; waits at most {@code timeoutMs} for that. Tasks submitted afterwards are
     * dropped. Idempotent.
     */
    @Override
    public void close() {
        close(5_000);
    }

    /** As {@link #close()} with a bound of {@code timeoutMs}. */
    public void close(long timeoutMs) {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        if (isExecutorThread()) {
            return;
        }
        try {
            thread.join(TimeUnit.MILLISECONDS.toMillis(Math.max(1, timeoutMs)));
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "a udpix frame callback is still running after {0} ms; "
                        + "leaving it behind", timeoutMs);
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one key holds waiting. */
    private static final class Pending {
        final ArrayDeque<Runnable> frames = new ArrayDeque<>(1);
        final ArrayDeque<Runnable> essentials = new ArrayDeque<>(1);
    }
}
