package io.udpix.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.SocketStats;
import io.udpix.api.stream.StreamStatus;
import io.udpix.driver.DriverStats;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamStats;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The --stats line shows the driver's send errors only when there are some, and names each stream. */
class StatsLinesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T05:00:00Z"), ZoneOffset.UTC);

    private static SocketStats socket(long sendErrors) {
        DriverStats driver = new DriverStats(10, 1000, 9 - sendErrors, 900, 0, 0, 0, sendErrors, 0, 0, 0, 5);
        StreamStats stream = new StreamStats(0x5fL, 1, true, StreamCodec.JPEG, 150_000_000L, 30, 28, 1, 1, 0, 0, 0,
                0, 0, 0, 0, 12_000_000L, 30_000_000L, 31_000_000L, 0, 0, 0);
        StreamStatus status = new StreamStatus(new InetSocketAddress("127.0.0.1", 5000), 9000, "cam", stream, 0, 30);
        return new SocketStats(9000, 1_000_000_000L, 10, 9, 1000, 900, 1, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(),
                List.of(), List.of(status), 0, driver);
    }

    @Test
    void showsSendErrorsOnlyWhenTheDriverHadSome() {
        StatsLines plain = new StatsLines(false, CLOCK);
        assertThat(plain.line(socket(3), null)).contains("; send errors 3");
        assertThat(plain.line(socket(0), null)).doesNotContain("send errors");
    }

    @Test
    void theJsonLineCarriesSendErrorsAndEachStreamsKeyAndName() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new StatsLines(true, CLOCK).line(socket(2), null));
        assertThat(json.path("sendErrors").asLong()).isEqualTo(2);
        JsonNode stream = json.path("streams").get(0);
        assertThat(stream.path("key").asText()).isEqualTo("127.0.0.1:5000#1");
        assertThat(stream.path("name").asText()).isEqualTo("cam");
        assertThat(stream.path("onTime").asLong()).isEqualTo(28);
    }
}
