package io.udpix.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.prometheus.Exposition;
import io.udpix.prometheus.MetricsDoc;
import io.udpix.prometheus.PrometheusMetrics;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a Prometheus server (or {@code curl}) gets from the dashboard's {@code /metrics}: the text parses with a
 * Prometheus text-format parser, and every metric docs/METRICS.md documents is there with its type.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MetricsOverHttpTest {

    @Test
    void metricsFetchedOverHttpParseAndCarryEveryDocumentedMetric() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            live.client.send(Item.raw(ItemKind.IMAGE, "a.jpg", "image/jpeg", LiveDashboard.picture(64, 48, "jpg", 3)));
            FrameStream stream = live.client.openStream(StreamOptions.builder().name("cam").fps(50).build());
            for (int i = 0; i < 20; i++) {
                stream.send(LiveDashboard.picture(32, 24, "jpg", i));
                Thread.sleep(20);
            }
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (live.server.streamStats().stream().mapToLong(s -> s.stats().onTime()).sum() < 5
                    && System.nanoTime() < deadlineNs) {
                Thread.sleep(20);
            }

            HttpResponse<String> got = live.getText("/metrics");
            assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
            assertThat(got.headers().firstValue("Content-Type")).hasValue(PrometheusMetrics.CONTENT_TYPE);
            Exposition scraped = Exposition.parse(got.body());
            for (MetricsDoc.Row row : MetricsDoc.rows().values()) {
                MetricFamily family = scraped.family(row.name());
                assertThat(family.getType().name()).as("TYPE of %s", row.name())
                        .isEqualTo(row.gauge() ? "GAUGE" : "COUNTER");
                assertThat(family.getMetrics()).as("samples of %s", row.name()).isNotEmpty();
            }
            String port = Integer.toString(live.port());
            assertThat(scraped.value("udpix_endpoint_items_received_total", Map.of("port", port)))
                    .hasValue(1.0);
        }
    }
}
