package io.udpix.cli.demo;

import java.nio.ByteBuffer;

/**
 * A fixed one-way delay for {@link LossyRelay}: datagrams wait in a byte ring (no allocation per datagram) and
 * leave in arrival order once their time has come. Bounded: at most {@link #MAX_DATAGRAMS} datagrams and
 * {@code capacityBytes} bytes wait; beyond that a datagram is dropped and counted (a full router queue does the
 * same). Relay thread only.
 */
final class DelayLine {
    /** Datagrams waiting at most. */
    static final int MAX_DATAGRAMS = 65_536;

    /** Where a datagram goes once its delay has passed. */
    interface Exit {
        /** Sends {@code datagram} (position to limit) on. */
        void send(ByteBuffer datagram);
    }

    private final long delayNs;
    private final int capacityBytes;
    private ByteBuffer arena;
    private final int[] offset = new int[MAX_DATAGRAMS];
    private final int[] length = new int[MAX_DATAGRAMS];
    private final int[] charged = new int[MAX_DATAGRAMS];
    private final long[] dueNs = new long[MAX_DATAGRAMS];
    private final Exit[] exit = new Exit[MAX_DATAGRAMS];
    private int first;
    private int count;
    private int tailByte;
    private int usedBytes;
    private long overflows;

    DelayLine(long delayNs, int capacityBytes) {
        this.delayNs = delayNs;
        this.capacityBytes = capacityBytes;
    }

    /** Queues a copy of {@code datagram} (position to limit; left unchanged) for {@code nowNs} + the delay. */
    void add(ByteBuffer datagram, Exit to, long nowNs) {
        int len = datagram.remaining();
        if (arena == null) {
            arena = ByteBuffer.allocate(capacityBytes); // Only when a delay is in use.
        }
        int at = tailByte;
        int charge = len;
        if (at + len > capacityBytes) {
            charge += capacityBytes - at; // The arena's end is skipped: a datagram never wraps.
            at = 0;
        }
        if (count == MAX_DATAGRAMS || usedBytes + charge > capacityBytes) {
            overflows++;
            return;
        }
        int slot = (first + count) % MAX_DATAGRAMS;
        ByteBuffer target = arena.duplicate();
        target.position(at);
        target.put(datagram.duplicate());
        offset[slot] = at;
        length[slot] = len;
        charged[slot] = charge;
        dueNs[slot] = nowNs + delayNs;
        exit[slot] = to;
        tailByte = at + len;
        usedBytes += charge;
        count++;
    }

    /** Sends every datagram whose time has come. */
    void releaseDue(long nowNs) {
        while (count > 0 && nowNs - dueNs[first] >= 0) {
            ByteBuffer datagram = arena.duplicate();
            datagram.limit(offset[first] + length[first]).position(offset[first]);
            Exit to = exit[first];
            exit[first] = null;
            usedBytes -= charged[first];
            first = (first + 1) % MAX_DATAGRAMS;
            count--;
            if (count == 0) {
                tailByte = 0;
            }
            to.send(datagram);
        }
    }

    /** Nanoseconds until the next datagram is due (0 if one is due now), or -1 when none waits. */
    long nanosUntilNext(long nowNs) {
        return count == 0 ? -1 : Math.max(0, dueNs[first] - nowNs);
    }

    /** Datagrams dropped because the line was full. */
    long overflows() {
        return overflows;
    }

    /** Forgets everything waiting (closing). */
    void clear() {
        java.util.Arrays.fill(exit, null);
        count = 0;
        tailByte = 0;
        usedBytes = 0;
    }
}
