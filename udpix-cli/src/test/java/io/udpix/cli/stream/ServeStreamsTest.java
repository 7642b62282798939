package io.udpix.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.stream.StreamEnd;
import io.udpix.api.stream.StreamStatus;
import io.udpix.cli.LineCollector;
import io.udpix.cli.report.ReportFormat;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamStats;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeStreamsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50123);

    @Test
    void printsOneObjectPerStreamEverySecondAndOneAtItsEndWithEveryRequiredField() throws Exception {
        LineCollector out = new LineCollector();
        StreamStats running = stats(40, 38, 1, 1);
        try (ServeStreams streams = new ServeStreams(ReportFormat.JSON, false, out.printStream(), null, null)) {
            streams.start(() -> List.of(new StreamStatus(PEER, 9000, "cam", running, 2)));
            assertThat(out.await(line -> line.contains("\"event\":\"stream\""), Duration.ofSeconds(5))).isNotNull();
            streams.onEnded(new StreamEnd(PEER, 9000, 1, "cam", ErrorCode.OK, "", stats(60, 57, 2, 1), 3));
            Thread.sleep(1_500); // A tick after the end must not print the ended stream again.
        }
        List<String> lines = out.lines();
        JsonNode perSecond = JSON.readTree(lines.get(0));
        assertThat(perSecond.get("event").asText()).isEqualTo("stream");
        assertThat(perSecond.get("peer").asText()).isEqualTo("127.0.0.1:50123");
        assertThat(perSecond.get("onTime").asLong()).isEqualTo(38);
        assertThat(perSecond.get("droppedSlowListener").asLong()).isEqualTo(2);
        int endIndex = indexOf(lines, "\"stream-ended\"");
        JsonNode end = JSON.readTree(lines.get(endIndex));
        // Issue 11's list, in the per-second objects and the final one alike, plus the granted budget.
        for (JsonNode node : List.of(perSecond, end)) {
            for (String field : List.of("frames", "onTime", "late", "lost", "latencyP50Ms", "latencyP99Ms",
                    "fecRecovered", "retransmitted", "latencyBudgetMs")) {
                assertThat(node.has(field)).as("%s in %s", field, node).isTrue();
            }
        }
        assertThat(perSecond.get("frames").asLong()).isEqualTo(40);
        assertThat(perSecond.get("late").asLong()).isEqualTo(1);
        assertThat(perSecond.get("lost").asLong()).isEqualTo(1);
        assertThat(perSecond.get("fecRecovered").asLong()).isEqualTo(4);
        assertThat(perSecond.get("retransmitted").asLong()).isEqualTo(9);
        assertThat(perSecond.get("latencyP50Ms").asDouble()).isEqualTo(12.3);
        assertThat(perSecond.get("latencyBudgetMs").asDouble()).isEqualTo(150.0);
        assertThat(end.get("frames").asLong()).isEqualTo(60);
        assertThat(end.get("latencyP99Ms").asDouble()).isEqualTo(48.5);
        assertThat(end.get("code").asText()).isEqualTo("OK");
        assertThat(end.get("droppedSlowListener").asLong()).isEqualTo(3);
        assertThat(lines.subList(endIndex + 1, lines.size())).as("nothing about the stream after its end")
                .noneMatch(line -> line.contains("\"stream\""));
    }

    @Test
    void plainFormatSaysWhenAStreamIsFirstSeenAndSumsItUpAtItsEnd() throws Exception {
        LineCollector out = new LineCollector();
        try (ServeStreams streams = new ServeStreams(ReportFormat.PLAIN, false, out.printStream(), null, null)) {
            streams.start(() -> List.of(new StreamStatus(PEER, 9000, "cam", stats(10, 10, 0, 0), 0)));
            assertThat(out.await(line -> line.startsWith("stream 127.0.0.1:50123#1 'cam' on port 9000"),
                    Duration.ofSeconds(5))).isNotNull();
            streams.onEnded(new StreamEnd(PEER, 9000, 1, "cam", ErrorCode.CLOSED, "the connection closed",
                    stats(60, 57, 2, 1), 0));
        }
        assertThat(out.lines()).contains("stream 127.0.0.1:50123#1 'cam' ended (the connection closed): 60 frames, "
                + "57 on time (95.0%), 2 late, 1 lost; latency p50 12.3 ms, p99 48.5 ms; FEC recovered 4, "
                + "retransmitted 9 fragments");
    }

    private static StreamStats stats(long frames, long onTime, long late, long lost) {
        return new StreamStats(1, 1, true, StreamCodec.JPEG, 150_000_000L, frames, onTime, late, lost, 0, 0, 4, 9,
                1_000_000, 50_000, 0, 12_300_000, 48_500_000, 60_000_000, 0, 0, 0);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text + " in " + lines);
    }
}
