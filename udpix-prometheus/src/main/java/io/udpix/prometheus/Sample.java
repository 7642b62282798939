package io.udpix.prometheus;

import java.util.List;

/**
 * One series' value for one scrape: the metric (name, help, counter or gauge) and its label pairs.
 *
 * @param name   the exposed name, exactly as docs/METRICS.md lists it
 * @param help   the {@code # HELP} text
 * @param gauge  true for a gauge, false for a counter
 * @param labels label keys and values, alternating (key, value, key, value...), in a fixed order per name
 * @param value  in the unit the name promises
 */
record Sample(String name, String help, boolean gauge, List<String> labels, double value) {
    /** The identity of the series: name and labels. */
    SeriesKey key() {
        return new SeriesKey(name, labels);
    }

    /** Name and label pairs of one series. */
    record SeriesKey(String name, List<String> labels) {}
}
