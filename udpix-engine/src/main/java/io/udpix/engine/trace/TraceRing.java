package io.udpix.engine.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer ring of fixed-size primitive trace records: the engine's thread writes
 * ({@link #record}), one other thread reads ({@link #drain}). Nothing is allocated per record; a full ring drops
 * the record and counts it. The last {@link #RESERVE_RECORDS} slots are kept for essential records (a
 * connection's closing record, which carries its drop count), so a writer that falls behind still learns how much
 * each connection lost.
 */
public final class TraceRing implements Tracer {
    /** Longs per record: type, connection id, time, a..h. */
    public static final int RECORD_LONGS = 11;
    /** Slots only essential records may take. */
    public static final int RESERVE_RECORDS = 64;
    /** Smallest and largest capacity in records. */
    public static final int MIN_RECORDS = 2 * RESERVE_RECORDS;
    public static final int MAX_RECORDS = 1 << 22;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle DROPPED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(TraceRing.class, "head", long.class);
            TAIL = l.findVarHandle(TraceRing.class, "tail", long.class);
            DROPPED = l.findVarHandle(TraceRing.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] slots;
    private final int capacity;
    private final int mask;
    /** Next record to read; written by the consumer only. */
    private volatile long head;
    /** Next record to write; written by the producer only. */
    private volatile long tail;
    private volatile long dropped;
    /** Producer's cached copy of head, so a record costs no volatile read while the ring has room. */
    private long cachedHead;

    /** A ring of {@code capacityRecords} (rounded up to a power of two, {@value #MIN_RECORDS}..{@value #MAX_RECORDS}). */
    public TraceRing(int capacityRecords) {
        if (capacityRecords < MIN_RECORDS || capacityRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("trace ring capacity must be " + MIN_RECORDS + ".." + MAX_RECORDS
                    + " records, was " + capacityRecords);
        }
        this.capacity = Integer.highestOneBit(capacityRecords - 1) << 1;
        this.mask = capacity - 1;
        this.slots = new long[capacity * RECORD_LONGS];
    }

    /** Capacity in records. */
    public int capacity() {
        return capacity;
    }

    /** Records dropped because the ring was full (all connections). */
    public long dropped() {
        return (long) DROPPED.getOpaque(this);
    }

    @Override
    public boolean record(int type, long connectionId, long timeNs, boolean essential, long a, long b, long c,
            long d, long e, long f, long g, long h) {
        long t = tail;
        int limit = essential ? capacity : capacity - RESERVE_RECORDS;
        if (t - cachedHead >= limit) {
            cachedHead = (long) HEAD.getAcquire(this);
            if (t - cachedHead >= limit) {
                DROPPED.setOpaque(this, dropped + 1);
                return false;
            }
        }
        int i = (int) (t & mask) * RECORD_LONGS;
        long[] s = slots;
        s[i] = type;
        s[i + 1] = connectionId;
        s[i + 2] = timeNs;
        s[i + 3] = a;
        s[i + 4] = b;
        s[i + 5] = c;
        s[i + 6] = d;
        s[i + 7] = e;
        s[i + 8] = f;
        s[i + 9] = g;
        s[i + 10] = h;
        TAIL.setRelease(this, t + 1); // publishes the slot's contents to the consumer
        return true;
    }

    /** What {@link #drain} hands each record to; {@code slots[offset..offset+RECORD_LONGS)} is valid only during the call. */
    @FunctionalInterface
    public interface Reader {
        /** One record: type at {@code slots[offset]}, then connection id, time, a..h. */
        void read(long[] slots, int offset);
    }

    /** Reads up to {@code maxRecords} records in order (consumer thread only); returns how many. */
    public int drain(Reader reader, int maxRecords) {
        long h = head;
        long t = (long) TAIL.getAcquire(this);
        int n = (int) Math.min(t - h, maxRecords);
        for (int k = 0; k < n; k++) {
            reader.read(slots, (int) ((h + k) & mask) * RECORD_LONGS);
        }
        HEAD.setRelease(this, h + n); // frees the slots only after they were read
        return n;
    }
}
