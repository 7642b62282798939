package io.udpix.engine.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A registry of named counters and gauges (model: Aeron's {@code CountersManager}). Values live in preallocated
 * pages of longs; a {@link CounterGroup} is a run of consecutive slots described once by its {@link CounterSchema}
 * and labels, allocated when what it describes starts (an endpoint, a connection) and freed when it ends, never
 * per datagram.
 *
 * <p>One thread writes: the engine's (I/O) thread allocates, frees and updates groups, with a plain read and a
 * release store per update (no lock prefix on the hot path). Any other thread reads with {@link #snapshot()},
 * without locks and without stopping the writer: each value read is exact, a group as a whole is not atomic (the
 * writer may move on between two of its values, as in Aeron). A group freed while being read is left out.
 *
 * <p>Bounded: at most {@code capacitySlots} values; pages of {@value #PAGE_SLOTS} slots are allocated as groups
 * need them (an idle endpoint holds one page) and kept for reuse. When the registry is full a group is
 * allocated detached (its values in its own array, counted by {@link #allocationFailures()}, invisible to
 * readers), so the engine's own counting never fails.
 */
public final class Counters {
    /** Slots per page: 1,024 longs (8 KiB) holds the endpoint group and ~35 connections. */
    public static final int PAGE_SLOTS = 1024;
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int capacitySlots;
    private final AtomicReferenceArray<Page> pages;
    private volatile int pageCount;
    private volatile long allocationFailures;
    // Writer thread only.
    private int reservedSlots;
    private final Map<CounterSchema, FreeList> free = new IdentityHashMap<>();

    /** A registry of at most {@code capacitySlots} values. */
    public Counters(int capacitySlots) {
        if (capacitySlots < 1) {
            throw new IllegalArgumentException("capacitySlots must be positive, was " + capacitySlots);
        }
        this.capacitySlots = capacitySlots;
        // A group never spans two pages, so a page may end with unused slots (at most half a page when groups
        // are larger than half a page): twice the pages the slots need is always enough.
        this.pages = new AtomicReferenceArray<>(2 * ((capacitySlots + PAGE_SLOTS - 1) / PAGE_SLOTS) + 1);
    }

    /**
     * Allocates a group of {@code schema}'s metrics labelled {@code labelValues} (one per schema label key), all
     * zero; writer thread. A freed group of the same schema is reused first.
     */
    public CounterGroup allocate(CounterSchema schema, String... labelValues) {
        if (labelValues.length != schema.labelKeys().size()) {
            throw new IllegalArgumentException(schema.kind() + " takes labels " + schema.labelKeys() + ", got "
                    + labelValues.length + " values");
        }
        int size = schema.size();
        if (size > PAGE_SLOTS) {
            throw new IllegalArgumentException(schema.kind() + " has " + size + " metrics; at most " + PAGE_SLOTS);
        }
        FreeList list = free.get(schema);
        long where = list == null ? -1 : list.pop();
        if (where < 0) {
            where = reserve(size);
        }
        if (where < 0) {
            allocationFailures = allocationFailures + 1; // single writer
            return new CounterGroup(this, schema, labelValues, null, new long[size], 0);
        }
        Page page = pages.get((int) (where >>> 32));
        int base = (int) where;
        CounterGroup group = new CounterGroup(this, schema, labelValues, page, page.values, base);
        page.owners.setRelease(base, group); // values are zero already (fresh or zeroed when freed)
        return group;
    }

    /** Finds room for {@code size} consecutive slots in one page; returns page << 32 | base, or -1 when full. */
    private long reserve(int size) {
        if (reservedSlots + size > capacitySlots) {
            return -1;
        }
        int count = pageCount;
        Page last = count == 0 ? null : pages.get(count - 1);
        if (last == null || last.usedSlots + size > PAGE_SLOTS) {
            if (count == pages.length()) {
                return -1;
            }
            last = new Page(count);
            pages.set(count, last);
            pageCount = count + 1; // volatile: publishes the page
        }
        int base = last.usedSlots;
        INTS.setRelease(last.blockSlots, base, size);
        last.usedSlots = base + size; // volatile: publishes the block's size to readers
        reservedSlots += size;
        return ((long) last.index << 32) | base;
    }

    /** Frees {@code group}'s slots; the group keeps its last values in an array of its own. Writer thread. */
    void free(CounterGroup group, Page page, int base) {
        page.owners.setRelease(base, null); // first: a reader that sees a value written after this drops the group
        for (int i = 0; i < group.schema().size(); i++) {
            VALUES.setRelease(page.values, base + i, 0L);
        }
        free.computeIfAbsent(group.schema(), s -> new FreeList()).push(((long) page.index << 32) | base);
    }

    /** Groups that found no room (their figures are counted but not visible to readers). */
    public long allocationFailures() {
        return allocationFailures;
    }

    /** The bound given at construction. */
    public int capacitySlots() {
        return capacitySlots;
    }

    /**
     * Every live group's values now; any thread, no lock, the writer goes on. Allocates the snapshot, so call it at
     * human rates (a stats line, a scrape), not per datagram.
     */
    public CountersSnapshot snapshot() {
        List<CountersSnapshot.Group> out = new ArrayList<>();
        int count = pageCount;
        for (int p = 0; p < count; p++) {
            Page page = pages.get(p);
            int used = page.usedSlots;
            for (int base = 0; base < used; ) {
                int size = (int) INTS.getAcquire(page.blockSlots, base);
                CounterGroup owner = (CounterGroup) page.owners.getAcquire(base);
                if (owner != null) {
                    long[] values = new long[size];
                    for (int i = 0; i < size; i++) {
                        values[i] = (long) VALUES.getAcquire(page.values, base + i);
                    }
                    if (page.owners.getAcquire(base) == owner) {
                        out.add(new CountersSnapshot.Group(owner.schema(), owner.labelValues(), values));
                    }
                }
                base += size;
            }
        }
        return new CountersSnapshot(out, allocationFailures);
    }

    static long readAcquire(long[] values, int index) {
        return (long) VALUES.getAcquire(values, index);
    }

    static void addRelease(long[] values, int index, long delta) {
        VALUES.setRelease(values, index, (long) VALUES.get(values, index) + delta);
    }

    static void setRelease(long[] values, int index, long value) {
        VALUES.setRelease(values, index, value);
    }

    /** One page of slots with the owner and size of each block that starts in it. */
    static final class Page {
        final int index;
        final long[] values = new long[PAGE_SLOTS];
        final int[] blockSlots = new int[PAGE_SLOTS];
        final AtomicReferenceArray<CounterGroup> owners = new AtomicReferenceArray<>(PAGE_SLOTS);
        volatile int usedSlots;

        Page(int index) {
            this.index = index;
        }
    }

    /** Bases of freed blocks of one schema; bounded by the blocks ever reserved. */
    private static final class FreeList {
        private long[] items = new long[8];
        private int size;

        void push(long where) {
            if (size == items.length) {
                items = java.util.Arrays.copyOf(items, size * 2);
            }
            items[size++] = where;
        }

        long pop() {
            return size == 0 ? -1 : items[--size];
        }
    }
}
