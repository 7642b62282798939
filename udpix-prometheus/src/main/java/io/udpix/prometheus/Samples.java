package io.udpix.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of one scrape, bounded: a series met twice (a port served by several sockets, one per thread) is
 * summed, and beyond {@code maxSeries} distinct series the rest are counted as skipped, never stored, so a
 * registry with a runaway label set cannot grow the exporter without bound.
 */
final class Samples {
    private final int maxSeries;
    private final Map<Sample.SeriesKey, Sample> byKey = new LinkedHashMap<>();
    private long skipped;

    Samples(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    /** Adds {@code value} to the series {@code name}{labels}. */
    void add(String name, String help, boolean gauge, List<String> labels, double value) {
        Sample.SeriesKey key = new Sample.SeriesKey(name, labels);
        Sample before = byKey.get(key);
        if (before != null) {
            byKey.put(key, new Sample(name, before.help(), gauge, labels, before.value() + value));
        } else if (byKey.size() < maxSeries) {
            byKey.put(key, new Sample(name, help, gauge, labels, value));
        } else {
            skipped++;
        }
    }

    /** Every series, in the order first added. */
    List<Sample> all() {
        return new ArrayList<>(byKey.values());
    }

    /** Series left out because {@code maxSeries} were already there. */
    long skipped() {
        return skipped;
    }
}
