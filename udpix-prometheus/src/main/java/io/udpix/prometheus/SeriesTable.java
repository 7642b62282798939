package io.udpix.prometheus;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Micrometer meters behind the series of the last scrape: a meter is registered the first time its series
 * shows up and removed at the first scrape that no longer has it (a closed connection, an ended stream), so the
 * registry holds what the server holds now and nothing more. Each meter reads a value cell that
 * {@link #update} sets; the caller serialises update and scrape.
 */
final class SeriesTable {
    private final MeterRegistry registry;
    private final Map<Sample.SeriesKey, Cell> cells = new HashMap<>();

    SeriesTable(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Makes the meters match {@code samples}: values set, new series registered, vanished ones removed. */
    void update(List<Sample> samples) {
        for (Cell cell : cells.values()) {
            cell.seen = false;
        }
        for (Sample s : samples) {
            Cell cell = cells.get(s.key());
            if (cell == null) {
                cell = new Cell();
                cell.meter = register(s, cell);
                cells.put(s.key(), cell);
            }
            cell.value = s.value();
            cell.seen = true;
        }
        for (Iterator<Cell> it = cells.values().iterator(); it.hasNext(); ) {
            Cell cell = it.next();
            if (!cell.seen) {
                registry.remove(cell.meter);
                it.remove();
            }
        }
    }

    /** Series registered now. */
    int size() {
        return cells.size();
    }

    private Meter register(Sample s, Cell cell) {
        List<Tag> tags = new ArrayList<>(s.labels().size() / 2);
        for (int i = 0; i + 1 < s.labels().size(); i += 2) {
            tags.add(Tag.of(s.labels().get(i), s.labels().get(i + 1)));
        }
        // No base unit: the names already end in their unit (docs/METRICS.md), and Micrometer's Prometheus
        // naming would append it a second time. Counters keep their _total, which the convention accepts as is.
        if (s.gauge()) {
            return Gauge.builder(s.name(), cell, c -> c.value).description(s.help()).tags(tags)
                    .strongReference(true).register(registry);
        }
        return FunctionCounter.builder(s.name(), cell, c -> c.value).description(s.help()).tags(tags)
                .register(registry);
    }

    /** The value a meter reports; written and read under the exporter's lock. */
    private static final class Cell {
        double value;
        boolean seen;
        Meter meter;
    }
}
