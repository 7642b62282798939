package io.udpix.engine.metrics;

import java.util.List;
import java.util.Objects;

/**
 * The values of one endpoint, connection or other thing a {@link CounterSchema} describes, in a {@link Counters}
 * registry. The writer thread updates it with {@link #add} and {@link #set} (a plain read and a release store);
 * other threads read the registry's snapshots, never this object's methods other than {@link #read}.
 */
public final class CounterGroup {
    private final Counters registry;
    private final CounterSchema schema;
    private final List<String> labelValues;
    private Counters.Page page;
    private long[] values;
    private int base;

    CounterGroup(Counters registry, CounterSchema schema, String[] labelValues, Counters.Page page, long[] values,
            int base) {
        this.registry = registry;
        this.schema = schema;
        this.labelValues = List.of(labelValues);
        this.page = page;
        this.values = values;
        this.base = base;
    }

    /** What the values are. */
    public CounterSchema schema() {
        return schema;
    }

    /** One value per {@code schema().labelKeys()}. */
    public List<String> labelValues() {
        return labelValues;
    }

    /** Adds {@code delta} to metric {@code index}; writer thread. */
    public void add(int index, long delta) {
        Counters.addRelease(values, base + Objects.checkIndex(index, schema.size()), delta);
    }

    /** Adds one to metric {@code index}; writer thread. */
    public void increment(int index) {
        add(index, 1);
    }

    /** Sets gauge {@code index}; writer thread. */
    public void set(int index, long value) {
        Counters.setRelease(values, base + Objects.checkIndex(index, schema.size()), value);
    }

    /** Metric {@code index} now; the writer thread, or any thread while the group is live. */
    public long read(int index) {
        return Counters.readAcquire(values, base + Objects.checkIndex(index, schema.size()));
    }

    /** Whether the group has slots in the registry (false once freed, or when the registry was full). */
    public boolean registered() {
        return page != null;
    }

    /**
     * Gives the slots back to the registry; the group keeps its last values in an array of its own, so the writer
     * may still read (and even update) them. Idempotent; writer thread.
     */
    public void free() {
        if (page == null) {
            return;
        }
        long[] own = new long[schema.size()];
        for (int i = 0; i < own.length; i++) {
            own[i] = values[base + i];
        }
        Counters.Page was = page;
        int wasBase = base;
        values = own;
        base = 0;
        page = null;
        registry.free(this, was, wasBase);
    }
}
