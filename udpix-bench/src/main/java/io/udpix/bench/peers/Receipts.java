package io.udpix.bench.peers;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Send and verified-receipt times of every item of one run, and each client's window of items in flight.
 * Times come from System.nanoTime (CLOCK_MONOTONIC): senders and receiver share this JVM.
 */
final class Receipts implements ItemTool.ReceiptSink {
    private final long[] sentNs;
    private final long[] receivedNs;
    private final Semaphore[] windows;
    private final CountDownLatch allDone;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private volatile String firstFailure;

    Receipts(int items, int clients, int windowItems) {
        sentNs = new long[items];
        receivedNs = new long[items];
        windows = new Semaphore[clients];
        for (int i = 0; i < clients; i++) {
            windows[i] = new Semaphore(windowItems);
        }
        allDone = new CountDownLatch(items);
    }

    /** Blocks the client until fewer than the window's items are in flight, then stamps the send. */
    void beforeSend(int client, int item) throws InterruptedException {
        windows[client].acquire();
        sentNs[item] = System.nanoTime();
    }

    @Override
    public void verified(int client, int item) {
        long now = System.nanoTime();
        synchronized (this) {
            if (receivedNs[item] != 0) {
                duplicates.incrementAndGet();
                return;
            }
            receivedNs[item] = now;
        }
        windows[client].release();
        allDone.countDown();
    }

    /** Counted, and the window slot given back. */
    @Override
    public void failed(int client, int item, String why) {
        if (failures.getAndIncrement() == 0) {
            firstFailure = "item " + item + ": " + why;
        }
        windows[client].release();
        allDone.countDown();
    }

    boolean await(long timeoutSeconds) throws InterruptedException {
        return allDone.await(timeoutSeconds, TimeUnit.SECONDS);
    }

    int failures() {
        return failures.get();
    }

    int duplicates() {
        return duplicates.get();
    }

    String firstFailure() {
        return firstFailure;
    }

    /** Latencies in nanoseconds of items {@code from..to-1} that arrived, sorted. */
    long[] latenciesNs(int from, int to) {
        long[] out = new long[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (receivedNs[i] != 0) {
                out[n++] = receivedNs[i] - sentNs[i];
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }

    int received(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (receivedNs[i] != 0) {
                n++;
            }
        }
        return n;
    }

    long firstSentNs(int from) {
        return sentNs[from];
    }

    long lastReceivedNs(int from, int to) {
        long last = 0;
        for (int i = from; i < to; i++) {
            last = Math.max(last, receivedNs[i]);
        }
        return last;
    }

    /** Nearest-rank percentile of a sorted array; NaN when empty. */
    static double percentileMs(long[] sortedNs, double p) {
        if (sortedNs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sortedNs.length);
        return sortedNs[Math.max(0, Math.min(sortedNs.length - 1, rank - 1))] / 1e6;
    }
}
