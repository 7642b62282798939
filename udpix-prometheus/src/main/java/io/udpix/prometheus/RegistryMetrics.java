package io.udpix.prometheus;

import io.udpix.api.PortCounters;
import io.udpix.engine.metrics.CounterSchema;
import io.udpix.engine.metrics.CountersSnapshot;
import io.udpix.engine.metrics.Metric;
import java.util.ArrayList;
import java.util.List;

/**
 * Every metric of a socket's counters registry, by the name its {@link Metric} carries (docs/METRICS.md lists
 * them), labelled {@code port} plus the group's own labels ({@code reason} for drops; {@code connection_id},
 * {@code peer}, {@code role} for connections). Generic over the schemas, so a metric added to the engine is
 * exported without a change here (and the docs test then asks for its row in docs/METRICS.md).
 */
final class RegistryMetrics {
    private RegistryMetrics() {}

    static final String UNREGISTERED = "udpix_endpoint_unregistered_connections_total";

    /** Adds every value of {@code counters} to {@code out}. */
    static void collect(PortCounters counters, Samples out) {
        String port = Integer.toString(counters.port());
        for (CountersSnapshot.Group g : counters.snapshot().groups()) {
            CounterSchema schema = g.schema();
            List<String> labels = new ArrayList<>(2 + 2 * schema.labelKeys().size());
            labels.add("port");
            labels.add(port);
            for (int i = 0; i < schema.labelKeys().size(); i++) {
                labels.add(schema.labelKeys().get(i));
                labels.add(g.labelValues().get(i));
            }
            List<String> fixed = List.copyOf(labels);
            for (int i = 0; i < schema.size(); i++) {
                Metric m = schema.metrics().get(i);
                // scale turns a value kept in ns into the seconds its name promises (Metric.scale()).
                out.add(m.name(), m.help(), m.gauge(), fixed, g.value(i) * m.scale());
            }
        }
        out.add(UNREGISTERED, "Connections whose figures found the registry full (missing from the connection series)",
                false, List.of("port", port), counters.snapshot().allocationFailures());
    }
}
