package io.udpix.engine.util;

import java.util.List;

/** Transfers by their non-negative int ID, without boxing the key on every lookup (one per packet on hot paths). */
public final class TransferMap<V> {
    private final LongObjectMap<V> map = new LongObjectMap<>();

    /** The value for {@code id}, or null. */
    public V get(int id) {
        return id < 0 ? null : map.get(id + 1L);
    }

    /** Puts {@code id -> value}; {@code id} must be non-negative. */
    public void put(int id, V value) {
        if (id < 0) {
            throw new IllegalArgumentException("transfer id " + id + " is negative");
        }
        map.put(id + 1L, value);
    }

    /** Removes and returns the value for {@code id}, or null. */
    public V remove(int id) {
        V v = get(id);
        if (v != null) {
            map.remove(id + 1L);
        }
        return v;
    }

    /** Whether {@code id} is present. */
    public boolean containsKey(int id) {
        return get(id) != null;
    }

    /** Entries. */
    public int size() {
        return map.size();
    }

    /** True when empty. */
    public boolean isEmpty() {
        return map.size() == 0;
    }

    /** A snapshot of the values (allocates; not for hot paths). */
    public List<V> values() {
        return map.values();
    }

    /** Removes everything. */
    public void clear() {
        map.clearAll();
    }
}
