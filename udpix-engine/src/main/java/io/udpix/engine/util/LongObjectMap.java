package io.udpix.engine.util;

import java.util.ArrayList;
import java.util.List;

/**
 * An open-addressing hash map from long keys to objects, so looking up a connection ID allocates nothing (a
 * {@code HashMap<Long, V>} boxes every key). Keys must not be 0 (0 marks an empty slot; connection IDs are never 0).
 */
public final class LongObjectMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;

    /** An empty map. */
    public LongObjectMap() {
        keys = new long[64];
        values = new Object[64];
    }

    /** Number of entries. */
    public int size() {
        return size;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        if (key == 0) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    /** Puts {@code key -> value}; key must not be 0. */
    public void put(long key, V value) {
        if (key == 0) {
            throw new IllegalArgumentException("key 0 is reserved");
        }
        if ((size + 1) * 2 > keys.length) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /** Removes {@code key} if present (backward-shift deletion keeps probe chains intact). */
    public void remove(long key) {
        if (key == 0) {
            return;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        size--;
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            // Move j into the hole when its home slot is not between the hole and j (cyclically).
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = null;
    }

    /** Removes every entry. */
    public void clearAll() {
        java.util.Arrays.fill(keys, 0L);
        java.util.Arrays.fill(values, null);
        size = 0;
    }

    /** A snapshot of the values (allocates; not for hot paths). */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                out.add((V) values[i]);
            }
        }
        return out;
    }

    /** Calls {@code action} for each value; the map must not change during the walk. */
    @SuppressWarnings("unchecked")
    public void forEachValue(java.util.function.Consumer<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept((V) values[i]);
            }
        }
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                @SuppressWarnings("unchecked")
                V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
