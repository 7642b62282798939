package io.udpix.api;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads that run a server's {@link ItemHandler}. Submitting never blocks: the queue is bounded
 * ({@link #QUEUE_PER_THREAD} per thread, queued and running together) and one sender address may hold at most a quarter of it, queued and
 * running together, so one busy client cannot keep others' requests out. A task that does not fit is refused
 * ({@link #submit} says false): the caller answers a request with a "busy" error at once.
 */
final class RequestPool {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** Tasks waiting at most, per thread. */
    static final int QUEUE_PER_THREAD = 64;

    private final int capacity;
    private final int perAddress;
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    /** Tasks queued or running per sender address; an entry goes when its count reaches 0 (bounded by capacity). */
    private final Map<InetAddress, Integer> held = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private int running;
    private boolean stopped;
    private long refused;

    RequestPool(int threads) {
        this.capacity = threads * QUEUE_PER_THREAD;
        this.perAddress = Math.max(1, capacity / 4);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "udpix-request-" + i);
            t.setDaemon(true);
            this.threads.add(t);
            t.start();
        }
    }

    /**
     * Queues {@code task} for {@code from}; false (and counted) when the queue or that address's share is full or
     * the pool stopped.
     */
    synchronized boolean submit(InetAddress from, Runnable task) {
        int mine = held.getOrDefault(from, 0);
        if (stopped || queue.size() + running >= capacity || mine >= perAddress) {
            refused++;
            return false;
        }
        held.put(from, mine + 1);
        queue.add(new Task(from, task));
        notifyAll(); // a worker, and awaitIdle's waiters share this monitor
        return true;
    }

    /** Why {@link #submit} refuses, for the sender. */
    String busyReason() {
        return "the server is busy: its reply handler has " + capacity + " items queued or this address holds its "
                + "share (" + perAddress + "); try again shortly";
    }

    /** Tasks refused so far. */
    synchronized long refused() {
        return refused;
    }

    /** Tasks queued or running now. */
    synchronized int pending() {
        return queue.size() + running;
    }

    private void work() {
        while (true) {
            Task task;
            synchronized (this) {
                while (queue.isEmpty() && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return; // stopped and drained
                }
                task = queue.poll();
                running++;
            }
            try {
                task.run.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "udpix item handler task failed: " + e, e);
            } finally {
                synchronized (this) {
                    running--;
                    int left = held.getOrDefault(task.from, 1) - 1;
                    if (left <= 0) {
                        held.remove(task.from);
                    } else {
                        held.put(task.from, left);
                    }
                    notifyAll();
                }
            }
        }
    }

    /** Waits until nothing is queued or running, or {@code deadlineNs} (System.nanoTime) passed. */
    synchronized boolean awaitIdle(long deadlineNs) throws InterruptedException {
        while (!queue.isEmpty() || running > 0) {
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    /** Refuses new tasks, lets the threads finish what is queued for at most {@code timeoutMs}, then leaves them. */
    void shutdown(long timeoutMs) {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "udpix item handler still running after {0} ms; leaving it "
                        + "behind", timeoutMs);
                t.interrupt();
            }
        }
    }

    private record Task(InetAddress from, Runnable run) {
    }
}
