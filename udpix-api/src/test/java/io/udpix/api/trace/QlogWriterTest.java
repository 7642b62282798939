package io.udpix.api.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.engine.trace.Tracer;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QlogWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static void start(Tracer t, long conn, long timeNs, boolean client) {
        t.record(Tracer.CONNECTION_STARTED, conn, timeNs, false, client ? 1 : 0, 0x7F000001L, 4242, 0, 0, 0, 0, 0);
    }

    private static void sent(Tracer t, long conn, long timeNs, long pn) {
        t.record(Tracer.PACKET_SENT, conn, timeNs, false, pn, 1200, 1L << 0x11, 3, pn * 1100, 1100, 0, 0);
    }

    private static void closed(Tracer t, long conn, long timeNs) {
        t.record(Tracer.CONNECTION_CLOSED, conn, timeNs, true, ErrorCode.OK, 0, 0, 0, 0, 0, 0, 0);
    }

    static List<JsonNode> parse(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("\u001e");
        List<JsonNode> out = new ArrayList<>();
        for (String record : text.substring(1).split("\u001e", -1)) {
            assertThat(record).endsWith("\n");
            out.add(JSON.readTree(record));
        }
        return out;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesOneFilePerConnectionNamedByTimeRoleAndIdEndingWithASummary() throws IOException {
        try (QlogWriter writer = new QlogWriter(dir, QlogWriter.DEFAULT_MAX_BYTES_PER_FILE)) {
            Tracer server = writer.newRing(false);
            start(server, 0xABCDL, 1_000_000, false);
            start(server, 0x1234L, 2_000_000, false);
            for (int pn = 0; pn < 100; pn++) {
                sent(server, 0xABCDL, 1_000_000 + pn * 10_000L, pn);
                sent(server, 0x1234L, 2_000_000 + pn * 10_000L, pn);
            }
            closed(server, 0xABCDL, 5_000_000);
        }
        List<Path> files = files();
        assertThat(files).hasSize(2);
        assertThat(files).allSatisfy(f -> assertThat(f.getFileName().toString())
                .matches("\\d{8}T\\d{6}\\.\\d{3}Z-server-(000000000000abcd|0000000000001234)\\.sqlog"));
        for (Path f : files) {
            List<JsonNode> records = parse(f);
            assertThat(records.get(0).path("qlog_format").asText()).isEqualTo("JSON-SEQ");
            assertThat(records.get(0).path("trace").path("vantage_point").path("type").asText()).isEqualTo("server");
            assertThat(records.get(1).path("name").asText()).isEqualTo("transport:connection_started");
            assertThat(records.get(1).path("data").path("src_ip").asText()).isEqualTo("127.0.0.1");
            assertThat(records.stream().filter(r -> r.path("name").asText().equals("transport:packet_sent")))
                    .hasSize(100);
            JsonNode summary = records.get(records.size() - 1);
            assertThat(summary.path("name").asText()).isEqualTo("udpix:trace_summary");
            assertThat(summary.path("data").path("events_dropped_cap").asLong()).isZero();
            boolean closedFirst = f.getFileName().toString().contains("abcd");
            assertThat(summary.path("data").path("ended_by").asText())
                    .isEqualTo(closedFirst ? "connection_closed" : "writer_closed");
            assertThat(summary.path("data").path("events_written").asLong()).isEqualTo(closedFirst ? 102 : 101);
        }
    }

    @Test
    void aFileStopsAtItsCapAndItsSummaryCountsTheEventsDropped() throws IOException {
        long cap = QlogWriter.MIN_BYTES_PER_FILE;
        int packets = 1000;
        long dropped;
        try (QlogWriter writer = new QlogWriter(dir, cap)) {
            Tracer client = writer.newRing(true);
            start(client, 7, 0, true);
            for (int pn = 0; pn < packets; pn++) {
                while (!client.record(Tracer.PACKET_SENT, 7, pn, false, pn, 1200, 1L << 0x11, 3, pn, 1100, 0, 0)) {
                    Thread.onSpinWait(); // the writer drains; this test wants every record offered to the file
                }
            }
            closed(client, 7, packets);
            writer.close();
            dropped = writer.droppedEvents();
        }
        Path file = files().get(0);
        assertThat(file.getFileName().toString()).contains("-client-0000000000000007");
        assertThat(Files.size(file)).isLessThanOrEqualTo(cap);
        List<JsonNode> records = parse(file);
        JsonNode summary = records.get(records.size() - 1).path("data");
        long written = summary.path("events_written").asLong();
        long droppedCap = summary.path("events_dropped_cap").asLong();
        assertThat(droppedCap).isPositive();
        assertThat(written + droppedCap).as("every record: written or dropped").isEqualTo(packets + 2);
        assertThat(records).hasSize((int) written + 2); // header and summary besides the events
        assertThat(dropped).isEqualTo(droppedCap);
    }

    @Test
    void refusesACapTooSmallForASummary() {
        assertThatThrownBy(() -> new QlogWriter(dir, 100)).hasMessageContaining("at least 4096");
    }
}
