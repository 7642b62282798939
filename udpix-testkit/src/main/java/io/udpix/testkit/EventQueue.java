package io.udpix.testkit;

import java.util.Arrays;

/**
 * A binary min-heap of events ordered by (time, insertion sequence), so ties replay in a fixed order. Each entry
 * is a kind and an index packed in one int. Endpoint deadlines are indexed: an endpoint has at most one, updated
 * in place, so rescheduling leaves no stale entries behind.
 */
final class EventQueue {
    static final int ARRIVAL = 0;
    static final int DEADLINE = 1;
    static final int TASK = 2;
    static final int POLL = 3;
    private static final int KIND_BITS = 2;
    private static final int KIND_MASK = (1 << KIND_BITS) - 1;
    /** A bound on pending events; far above what the in-flight limits allow. */
    private static final int MAX_EVENTS = 1 << 27;

    private long[] times = new long[1024];
    private long[] seqs = new long[1024];
    private int[] refs = new int[1024];
    private int size;
    private long nextSeq;
    /** Heap position of each endpoint's deadline entry, -1 if none. */
    private int[] deadlinePos = new int[16];

    EventQueue() {
        Arrays.fill(deadlinePos, -1);
    }

    static int kind(int ref) {
        return ref & KIND_MASK;
    }

    static int index(int ref) {
        return ref >>> KIND_BITS;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long peekTimeNs() {
        return times[0];
    }

    /** Removes the earliest event and returns its ref; its time was {@link #peekTimeNs()}. */
    int pop() {
        int ref = refs[0];
        if (kind(ref) == DEADLINE) {
            deadlinePos[index(ref)] = -1;
        }
        size--;
        if (size > 0) {
            place(0, times[size], seqs[size], refs[size]);
            siftDown(0);
        }
        return ref;
    }

    void push(long timeNs, int kind, int index) {
        if (size == times.length) {
            grow();
        }
        int i = size++;
        place(i, timeNs, nextSeq++, (index << KIND_BITS) | kind);
        siftUp(i);
    }

    /** Sets (or moves) the single deadline of endpoint {@code slot}; a moved deadline counts as newly inserted. */
    void setDeadline(int slot, long timeNs) {
        ensureSlot(slot);
        int pos = deadlinePos[slot];
        if (pos < 0) {
            push(timeNs, DEADLINE, slot);
            return;
        }
        if (times[pos] == timeNs) {
            return; // unchanged: keep its place among equal times
        }
        times[pos] = timeNs;
        seqs[pos] = nextSeq++;
        siftUp(pos);
        siftDown(deadlinePos[slot]);
    }

    void clearDeadline(int slot) {
        if (slot >= deadlinePos.length) {
            return;
        }
        int pos = deadlinePos[slot];
        if (pos < 0) {
            return;
        }
        deadlinePos[slot] = -1;
        size--;
        if (pos < size) {
            long movedSeq = seqs[size];
            place(pos, times[size], seqs[size], refs[size]);
            siftUp(pos);
            if (seqs[pos] == movedSeq) {
                siftDown(pos); // it did not move up, so it may need to move down
            }
        }
    }

    long deadlineNs(int slot) {
        if (slot >= deadlinePos.length || deadlinePos[slot] < 0) {
            return Long.MAX_VALUE;
        }
        return times[deadlinePos[slot]];
    }

    private void siftUp(int i) {
        long t = times[i];
        long s = seqs[i];
        int r = refs[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, s, times[parent], seqs[parent])) {
                break;
            }
            place(i, times[parent], seqs[parent], refs[parent]);
            i = parent;
        }
        place(i, t, s, r);
    }

    private void siftDown(int i) {
        long t = times[i];
        long s = seqs[i];
        int r = refs[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(times[right], seqs[right], times[child], seqs[child])) {
                child = right;
            }
            if (!before(times[child], seqs[child], t, s)) {
                break;
            }
            place(i, times[child], seqs[child], refs[child]);
            i = child;
        }
        place(i, t, s, r);
    }

    private static boolean before(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void place(int i, long t, long s, int r) {
        times[i] = t;
        seqs[i] = s;
        refs[i] = r;
        if ((r & KIND_MASK) == DEADLINE) {
            deadlinePos[r >>> KIND_BITS] = i;
        }
    }

    private void ensureSlot(int slot) {
        if (slot >= deadlinePos.length) {
            int old = deadlinePos.length;
            deadlinePos = Arrays.copyOf(deadlinePos, Math.max(slot + 1, old * 2));
            Arrays.fill(deadlinePos, old, deadlinePos.length, -1);
        }
    }

    private void grow() {
        if (times.length >= MAX_EVENTS) {
            throw new SimulationException(size + " pending events exceed the simulator's limit of " + MAX_EVENTS
                    + "; an endpoint or task floods the simulation (lower Simulator.setMaxInFlightBytes to fail"
                    + " earlier)");
        }
        int n = times.length * 2;
        times = Arrays.copyOf(times, n);
        seqs = Arrays.copyOf(seqs, n);
        refs = Arrays.copyOf(refs, n);
    }
}
