package io.udpix.prometheus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;

/** A scrape parsed by a Prometheus text-format (0.0.4) parser (Hawkular's), by family name. */
public final class Exposition {
    private final Map<String, MetricFamily> families;

    private Exposition(Map<String, MetricFamily> families) {
        this.families = families;
    }

    /** Parses {@code text}; a family named twice is an error (the format allows one block per name). */
    public static Exposition parse(String text) {
        Map<String, MetricFamily> out = new LinkedHashMap<>();
        try {
            TextPrometheusMetricDataParser parser = new TextPrometheusMetricDataParser(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            for (MetricFamily f = parser.parse(); f != null; f = parser.parse()) {
                if (out.put(f.getName(), f) != null) {
                    throw new AssertionError("family " + f.getName() + " appears twice in:\n" + text);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("the scrape does not parse: " + e + "\n" + text, e);
        }
        return new Exposition(out);
    }

    public Map<String, MetricFamily> families() {
        return families;
    }

    public MetricFamily family(String name) {
        MetricFamily f = families.get(name);
        if (f == null) {
            throw new AssertionError("no family " + name + "; families: " + families.keySet());
        }
        return f;
    }

    /** The samples of {@code name} whose labels include every pair of {@code labels}. */
    public List<Metric> samples(String name, Map<String, String> labels) {
        MetricFamily f = families.get(name);
        if (f == null) {
            return List.of();
        }
        return f.getMetrics().stream().filter(m -> m.getLabels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** The one sample of {@code name} matching {@code labels}, if there is one (an error if several). */
    public Optional<Double> value(String name, Map<String, String> labels) {
        List<Metric> found = samples(name, labels);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + " match " + labels);
        }
        return found.stream().findFirst().map(Exposition::valueOf);
    }

    /** The sum of the samples of {@code name} matching {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return samples(name, labels).stream().mapToDouble(Exposition::valueOf).sum();
    }

    public static double valueOf(Metric m) {
        if (m instanceof Counter c) {
            return c.getValue();
        }
        if (m instanceof Gauge g) {
            return g.getValue();
        }
        throw new AssertionError(m.getName() + " is neither counter nor gauge: " + m.getClass());
    }
}
