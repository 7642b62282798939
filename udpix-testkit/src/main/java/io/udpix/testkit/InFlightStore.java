package io.udpix.testkit;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Datagram copies between entering a link and arriving, in parallel arrays indexed by a recycled id, with byte
 * buffers pooled by power-of-two size class: steady state allocates nothing per datagram. Holds only what is in
 * flight (no history), and refuses to hold more than its limits.
 */
final class InFlightStore {
    private static final int MIN_CLASS_SHIFT = 6; // 64-byte buffers for the smallest datagrams
    private static final int CLASSES = 11; // 64 B .. 64 KiB
    /** Free buffers kept per size class, in bytes; the rest is left to the garbage collector. */
    private static final long POOL_BYTES_PER_CLASS = 4L << 20;

    ByteBuffer[] buffers = new ByteBuffer[256];
    int[] lengths = new int[256];
    InetSocketAddress[] froms = new InetSocketAddress[256];
    InetSocketAddress[] tos = new InetSocketAddress[256];
    EndpointSlot[] toSlots = new EndpointSlot[256];
    Link[] links = new Link[256];
    long[] queueDelaysNs = new long[256];
    /** Whether the copy waits in a paused endpoint's socket buffer (counted in its slot's heldBytes). */
    boolean[] held = new boolean[256];

    private int[] freeIds = new int[256];
    private int freeIdCount;
    private int highestId;

    private final ByteBuffer[][] pool = new ByteBuffer[CLASSES][];
    private final int[] poolCount = new int[CLASSES];

    private long count;
    private long bytes;
    private long peakCount;
    private long peakBytes;
    long maxBytes;
    long maxCount;

    InFlightStore(long maxBytes, long maxCount) {
        this.maxBytes = maxBytes;
        this.maxCount = maxCount;
        for (int c = 0; c < CLASSES; c++) {
            pool[c] = new ByteBuffer[16];
        }
    }

    /** Whether one more datagram of {@code length} bytes would pass the limits. */
    boolean hasRoomFor(int length) {
        return bytes + length <= maxBytes && count < maxCount;
    }

    /** Copies bytes [0, length) of src into a pooled buffer and returns the new entry's id. */
    int add(byte[] src, int length, InetSocketAddress from, InetSocketAddress to, EndpointSlot toSlot, Link link,
            long queueDelayNs) {
        int id;
        if (freeIdCount > 0) {
            id = freeIds[--freeIdCount];
        } else {
            if (highestId == buffers.length) {
                growRecords();
            }
            id = highestId++;
        }
        ByteBuffer buffer = take(length);
        System.arraycopy(src, 0, buffer.array(), 0, length);
        buffers[id] = buffer;
        lengths[id] = length;
        froms[id] = from;
        tos[id] = to;
        toSlots[id] = toSlot;
        links[id] = link;
        queueDelaysNs[id] = queueDelayNs;
        held[id] = false;
        count++;
        bytes += length;
        peakCount = Math.max(peakCount, count);
        peakBytes = Math.max(peakBytes, bytes);
        return id;
    }

    /** Returns entry {@code id}'s buffer to the pool and its id to the free list. */
    void remove(int id) {
        give(buffers[id]);
        count--;
        bytes -= lengths[id];
        buffers[id] = null;
        froms[id] = null;
        tos[id] = null;
        toSlots[id] = null;
        links[id] = null;
        if (freeIdCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
        }
        freeIds[freeIdCount++] = id;
    }

    long count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    long peakCount() {
        return peakCount;
    }

    long peakBytes() {
        return peakBytes;
    }

    private static int sizeClass(int length) {
        if (length <= (1 << MIN_CLASS_SHIFT)) {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(length - 1) - MIN_CLASS_SHIFT;
    }

    private ByteBuffer take(int length) {
        int c = sizeClass(length);
        if (poolCount[c] > 0) {
            ByteBuffer b = pool[c][--poolCount[c]];
            pool[c][poolCount[c]] = null;
            return b;
        }
        return ByteBuffer.allocate(1 << (c + MIN_CLASS_SHIFT));
    }

    private void give(ByteBuffer buffer) {
        int c = sizeClass(buffer.capacity());
        long keepLimit = Math.max(1, POOL_BYTES_PER_CLASS >> (c + MIN_CLASS_SHIFT));
        if (poolCount[c] >= keepLimit) {
            return;
        }
        if (poolCount[c] == pool[c].length) {
            pool[c] = Arrays.copyOf(pool[c], pool[c].length * 2);
        }
        pool[c][poolCount[c]++] = buffer;
    }

    private void growRecords() {
        int n = buffers.length * 2;
        buffers = Arrays.copyOf(buffers, n);
        lengths = Arrays.copyOf(lengths, n);
        froms = Arrays.copyOf(froms, n);
        tos = Arrays.copyOf(tos, n);
        toSlots = Arrays.copyOf(toSlots, n);
        links = Arrays.copyOf(links, n);
        queueDelaysNs = Arrays.copyOf(queueDelaysNs, n);
        held = Arrays.copyOf(held, n);
    }
}
