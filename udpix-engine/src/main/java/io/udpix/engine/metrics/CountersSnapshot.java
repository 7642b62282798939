package io.udpix.engine.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The live groups of a {@link Counters} registry at one moment (each value exact; see
 * {@link Counters#snapshot()}).
 *
 * @param groups             every group registered when it was taken
 * @param allocationFailures groups that found the registry full (their figures are missing here)
 */
public record CountersSnapshot(List<Group> groups, long allocationFailures) {
    /** Copies the list. */
    public CountersSnapshot {
        groups = List.copyOf(groups);
    }

    /** The groups of schema {@code kind}. */
    public List<Group> groups(String kind) {
        return groups.stream().filter(g -> g.schema().kind().equals(kind)).toList();
    }

    /**
     * One group's values.
     *
     * @param schema      names of the values
     * @param labelValues one per {@code schema.labelKeys()}
     * @param values      in schema order (copied; read with {@link #value})
     */
    public record Group(CounterSchema schema, List<String> labelValues, long[] values) {
        /** Copies the arrays. */
        public Group {
            labelValues = List.copyOf(labelValues);
            values = values.clone();
        }

        /** Value of metric {@code index}. */
        public long value(int index) {
            return values[index];
        }

        /** Value of the metric named {@code name}; throws if the schema has none. */
        public long value(String name) {
            int i = schema.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException(schema.kind() + " has no metric " + name);
            }
            return values[i];
        }

        /** Value of label {@code key}, or null. */
        public String label(String key) {
            int i = schema.labelKeys().indexOf(key);
            return i < 0 ? null : labelValues.get(i);
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Group g && g.schema.equals(schema) && g.labelValues.equals(labelValues)
                    && Arrays.equals(g.values, values);
        }

        @Override
        public int hashCode() {
            return schema.hashCode() * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return schema.kind() + labelValues + Arrays.toString(values);
        }
    }
}
