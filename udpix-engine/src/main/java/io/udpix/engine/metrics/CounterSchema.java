package io.udpix.engine.metrics;

import java.util.List;

/**
 * The fixed list of figures a group of counters holds (every connection has the same ones), registered once: a
 * group's values are {@code metrics.size()} consecutive slots of a {@link Counters} registry, the i-th slot being
 * {@code metrics.get(i)}, so no per-value metadata is stored.
 *
 * @param kind      what a group describes ("endpoint", "connection"); also the label set's meaning
 * @param labelKeys names of the labels each group of this schema carries ("connection_id", "peer")
 * @param metrics   the figures, in slot order
 */
public record CounterSchema(String kind, List<String> labelKeys, List<Metric> metrics) {
    /** Copies the lists. */
    public CounterSchema {
        labelKeys = List.copyOf(labelKeys);
        metrics = List.copyOf(metrics);
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("schema " + kind + " has no metrics");
        }
    }

    /** Number of slots a group of this schema takes. */
    public int size() {
        return metrics.size();
    }

    /** Index of the metric called {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
