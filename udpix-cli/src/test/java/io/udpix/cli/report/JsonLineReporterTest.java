package io.udpix.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JsonLineReporterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:15:30.250Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final JsonLineReporter reporter =
            new JsonLineReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), CLOCK);

    @Test
    void writesOneJsonObjectPerItemWithEveryField() throws Exception {
        reporter.finished(ItemReport.received("image", "cat.jpg", 2_000_000, "127.0.0.1:50000", 9000,
                Duration.ofMillis(1600)).withSha256("ab12").withSavedAs("received/cat.jpg").withDetail("1x1 png"));

        String[] lines = output();
        assertThat(lines).hasSize(1);
        JsonNode line = MAPPER.readTree(lines[0]);
        assertThat(line.get("time").asText()).isEqualTo("2026-11-23T10:15:30.250Z");
        assertThat(line.get("event").asText()).isEqualTo("received");
        assertThat(line.get("kind").asText()).isEqualTo("image");
        assertThat(line.get("name").asText()).isEqualTo("cat.jpg");
        assertThat(line.get("bytes").asLong()).isEqualTo(2_000_000);
        assertThat(line.get("peer").asText()).isEqualTo("127.0.0.1:50000");
        assertThat(line.get("port").asInt()).isEqualTo(9000);
        assertThat(line.get("elapsedMs").asDouble()).isEqualTo(1600.0);
        assertThat(line.get("bytesPerSecond").asLong()).isEqualTo(1_250_000);
        assertThat(line.get("sha256").asText()).isEqualTo("ab12");
        assertThat(line.get("savedAs").asText()).isEqualTo("received/cat.jpg");
        assertThat(line.get("detail").asText()).isEqualTo("1x1 png");
    }

    @Test
    void leavesOutAbsentFieldsAndCallsTheReasonOfAFailureError() throws Exception {
        reporter.finished(ItemReport.sendFailed("file", "x.bin", 0, "h:1", Duration.ZERO, "timed out"));

        JsonNode line = MAPPER.readTree(output()[0]);
        assertThat(line.get("event").asText()).isEqualTo("send_failed");
        assertThat(line.get("error").asText()).isEqualTo("timed out");
        assertThat(line.has("port")).isFalse();
        assertThat(line.has("sha256")).isFalse();
        assertThat(line.has("bytesPerSecond")).isFalse();
    }

    @Test
    void escapesHostileNamesSoEachItemStaysOneLine() throws Exception {
        reporter.finished(ItemReport.received("file", "a\nb\u0000\"c", 1, "h:1", 1, Duration.ofMillis(1)));
        reporter.status("listening on 127.0.0.1:9000");

        String[] lines = output();
        assertThat(lines).hasSize(2);
        assertThat(MAPPER.readTree(lines[0]).get("name").asText()).isEqualTo("a\nb\u0000\"c");
        JsonNode status = MAPPER.readTree(lines[1]);
        assertThat(status.get("event").asText()).isEqualTo("status");
        assertThat(status.get("message").asText()).isEqualTo("listening on 127.0.0.1:9000");
    }

    private String[] output() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return text.split("\n");
    }
}
