package io.udpix.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/grafana/udpix-dashboard.json: importable, and every metric its queries use is one udpix exports. */
class GrafanaDashboardTest {
    private static final Pattern METRIC = Pattern.compile("udpix_[a-z0-9_]+");

    private static JsonNode dashboard() throws Exception {
        Path file = MetricsDoc.file().getParent().resolve("grafana/udpix-dashboard.json");
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Every PromQL text of the dashboard: panel targets and template variable queries. */
    private static List<String> queries(JsonNode d) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : d.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.get("expr").asText());
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            out.add(v.path("definition").asText());
        }
        return out;
    }

    @Test
    void parsesAsAnImportableDashboardWithAPrometheusDatasourceInput() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.get("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(d.get("__inputs")).anySatisfy(in -> {
            assertThat(in.get("name").asText()).isEqualTo("DS_PROMETHEUS");
            assertThat(in.get("pluginId").asText()).isEqualTo("prometheus");
        });
        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode panel : d.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids unique").isTrue();
            if (!panel.get("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.get("title").asText())
                        .isEqualTo("${DS_PROMETHEUS}");
                assertThat(panel.path("targets")).as(panel.get("title").asText()).isNotEmpty();
            }
        }
        List<String> titles = new ArrayList<>();
        d.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles).contains("Receive / send rate", "Items per second", "Drops by reason",
                "RTT per connection", "Congestion window and bytes in flight", "Loss %", "Stream frames per second",
                "Stream frames: on time / late / lost", "Stream latency p50 / p99");
    }

    @Test
    void everyMetricItsQueriesUseIsDocumentedInMetricsMd() throws Exception {
        Set<String> documented = MetricsDoc.rows().keySet();
        Set<String> used = new LinkedHashSet<>();
        for (String q : queries(dashboard())) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).hasSizeGreaterThan(15);
        assertThat(used).as("metric names the dashboard queries").allMatch(documented::contains, "documented");
        assertThat(used).contains("udpix_endpoint_received_bytes_total", "udpix_endpoint_dropped_datagrams_total",
                "udpix_connection_rtt_smoothed_seconds", "udpix_connection_congestion_window_bytes",
                "udpix_connection_packets_lost_total", "udpix_stream_frames_per_second",
                "udpix_stream_latency_p99_seconds");
    }
}
