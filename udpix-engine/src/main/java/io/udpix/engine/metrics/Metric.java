package io.udpix.engine.metrics;

/**
 * One named figure of a {@link CounterSchema}: its Prometheus-style name, help text and whether it only grows.
 *
 * @param name  full metric name following Prometheus conventions: {@code udpix_} prefix, base units last
 *              ({@code _bytes}, {@code _seconds}, {@code _bytes_per_second}) and {@code _total} on counters
 * @param help  one line for the {@code # HELP} of a later exporter
 * @param gauge true for a value that goes up and down (RTT, window), false for a counter that only grows
 * @param scale what the stored long is multiplied by to give the named unit (1e-9 for a value stored in ns but
 *              named {@code _seconds}); 1 otherwise
 */
public record Metric(String name, String help, boolean gauge, double scale) {
    /** Checks the name against the conventions, so an exporter can use it as is. */
    public Metric {
        if (!name.matches("udpix_[a-z0-9_]+")) {
            throw new IllegalArgumentException("metric name " + name + " must be udpix_ followed by [a-z0-9_]");
        }
        if (!gauge && !name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + " must end in _total (Prometheus convention)");
        }
    }

    /** A counter of events or base units. */
    public static Metric counter(String name, String help) {
        return new Metric(name, help, false, 1);
    }

    /** A gauge in base units. */
    public static Metric gauge(String name, String help) {
        return new Metric(name, help, true, 1);
    }

    /** A gauge stored in nanoseconds and named in seconds. */
    public static Metric gaugeNanosAsSeconds(String name, String help) {
        if (!name.endsWith("_seconds")) {
            throw new IllegalArgumentException(name + " holds nanoseconds shown as seconds: end it in _seconds");
        }
        return new Metric(name, help, true, 1e-9);
    }
}
