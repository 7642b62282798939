package io.udpix.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/stats}, {@code /api/latest/PORT.jpg} and {@code /metrics} of a real server over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void statsShowTheServersTotalsPortConnectionAndLatestImageAfterARealItem() throws Exception {
        try (LiveDashboard live = LiveDashboard.start(temp, null)) {
            byte[] jpeg = LiveDashboard.picture(320, 240, "jpg", 1);
            live.client.send(Item.raw(ItemKind.IMAGE, "a.jpg", "image/jpeg", jpeg));
            live.client.send(Item.jsonText("{\"hello\": \"world\"}"));
            JsonNode stats = awaitStats(live, s -> s.at("/recentJson").size() == 1
                    && !s.at("/ports/0/latestImage").isNull());

            assertThat(stats.at("/time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(stats.at("/uptimeSeconds").asDouble()).isPositive();
            assertThat(stats.at("/server/fingerprint").asText()).isEqualTo(live.server.fingerprint());
            assertThat(stats.at("/server/mode").asText()).isEqualTo("native");
            JsonNode totals = stats.at("/totals");
            assertThat(totals.at("/datagramsReceived").asLong()).isPositive();
            assertThat(totals.at("/bytesReceived").asLong()).isGreaterThan(jpeg.length);
            assertThat(totals.at("/itemsReceived").asLong()).isEqualTo(2);
            assertThat(totals.at("/connectionsAccepted").asLong()).isEqualTo(1);
            assertThat(totals.at("/drops").isObject()).isTrue();
            assertThat(totals.has("dropsTotal") && totals.has("receiveBytesPerSecond")
                    && totals.has("sendBytesPerSecond") && totals.has("itemBytesReceived")).isTrue();

            JsonNode port = stats.at("/ports/0");
            assertThat(port.at("/port").asInt()).isEqualTo(live.port());
            assertThat(port.at("/itemsReceived").asLong()).isEqualTo(2);
            assertThat(port.at("/latestImage/name").asText()).isEqualTo("a.jpg");
            assertThat(port.at("/latestImage/url").asText()).isEqualTo("/api/latest/" + live.port() + ".jpg");

            JsonNode connection = stats.at("/connections/0");
            assertThat(connection.at("/id").asText()).matches("[0-9a-f]+");
            assertThat(connection.at("/peer").asText()).isEqualTo("127.0.0.1:" + live.client.localAddress()
                    .getPort());
            assertThat(connection.at("/role").asText()).isEqualTo("server");
            assertThat(connection.at("/rttMs").asDouble()).isPositive();
            for (String field : new String[] {"rttMinMs", "rttVarMs", "deliveryRateBytesPerSecond",
                "pacingRateBytesPerSecond", "congestionWindowBytes", "bytesInFlight", "packetsSent", "packetsLost",
                "lossPercent", "retransmittedBytes", "datagramBytes"}) {
                assertThat(connection.has(field)).as(field).isTrue();
            }

            JsonNode transfer = stats.at("/transfers/1");
            assertThat(transfer.at("/name").asText()).isEqualTo("a.jpg");
            assertThat(transfer.at("/kind").asText()).isEqualTo("IMAGE");
            assertThat(transfer.at("/state").asText()).isEqualTo("COMPLETED");
            assertThat(transfer.at("/doneBytes").asLong()).isEqualTo(jpeg.length);
            assertThat(stats.at("/transfers/0/kind").asText()).as("newest first").isEqualTo("JSON");

            JsonNode json = stats.at("/recentJson/0");
            assertThat(json.at("/text").asText()).isEqualTo("{\"hello\": \"world\"}");
            assertThat(json.at("/truncated").asBoolean()).isFalse();
            assertThat(stats.at("/streams").isArray()).isTrue();
        }
    }

    @Test
    void latestImageIsA404WithAReasonBeforeAnyImageThenTheSentJpegAsItCame() throws Exception {
        try (LiveDashboard live = LiveDashboard.start(temp, null)) {
            HttpResponse<String> none = live.getText("/api/latest/" + live.port() + ".jpg");
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).contains("no image received on port " + live.port() + " yet");

            byte[] jpeg = LiveDashboard.picture(320, 240, "jpg", 2);
            live.client.send(Item.raw(ItemKind.IMAGE, "a.jpg", "image/jpeg", jpeg));
            HttpResponse<byte[]> got = awaitImage(live);
            assertThat(got.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(got.body()).as("a JPEG is served as it came").isEqualTo(jpeg);
            assertThat(got.headers().firstValue("ETag")).hasValue("\"1\"");
        }
    }

    @Test
    void aPngIsServedAsADecodableJpegOfTheSameSize() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            byte[] png = LiveDashboard.picture(200, 150, "png", 3);
            live.client.send(Item.raw(ItemKind.IMAGE, "b.png", "image/png", png));
            HttpResponse<byte[]> got = awaitImage(live);
            assertThat(JpegImages.isJpeg(got.body())).isTrue();
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(got.body()));
            assertThat(decoded.getWidth()).isEqualTo(200);
            assertThat(decoded.getHeight()).isEqualTo(150);
            HttpResponse<byte[]> again = live.get("/api/latest/" + live.port() + ".jpg?seq=1");
            assertThat(again.body()).as("transcoded once, then cached: the same bytes").isEqualTo(got.body());
        }
    }

    @Test
    void metricsServeThePrometheusTextOfTheServer() throws Exception {
        // Needs s12-prom's PrometheusMetrics.scrape() (the skeleton throws: 500 until it lands).
        try (LiveDashboard live = LiveDashboard.start()) {
            live.client.send(Item.jsonText("[1]"));
            HttpResponse<String> got = live.getText("/metrics");
            assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
            assertThat(got.headers().firstValue("Content-Type")).hasValue(io.udpix.prometheus.PrometheusMetrics
                    .CONTENT_TYPE);
            assertThat(got.body()).contains("udpix_endpoint_datagrams_received_total");
        }
    }

    static JsonNode awaitStats(LiveDashboard live, java.util.function.Predicate<JsonNode> ready) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode stats;
        do {
            HttpResponse<byte[]> got = live.get("/api/stats");
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(got.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            stats = JSON.readTree(new String(got.body(), StandardCharsets.UTF_8));
            if (ready.test(stats)) {
                return stats;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadlineNs);
        throw new AssertionError("the snapshot never got ready: " + stats);
    }

    private static HttpResponse<byte[]> awaitImage(LiveDashboard live) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<byte[]> got;
        do {
            got = live.get("/api/latest/" + live.port() + ".jpg");
            if (got.statusCode() == 200) {
                return got;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadlineNs);
        throw new AssertionError("no image: " + got.statusCode() + " " + new String(got.body(),
                StandardCharsets.UTF_8));
    }
}
