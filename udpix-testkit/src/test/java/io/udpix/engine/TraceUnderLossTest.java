package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.trace.QlogFormat;
import io.udpix.engine.trace.TraceRing;
import io.udpix.engine.trace.Tracer;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Seeds;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Connection traces (docs/QLOG.md) of simulated transfers: what they say matches the engine's own counters. */
class TraceUnderLossTest {
    private static final LinkSpec LOSSY = LinkSpec.builder().rateMegabitsPerSecond(50).delayMillis(10)
            .mtuBytes(1500).lossProbability(0.03).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theTracesPacketLostCountEqualsTheConnectionsLossCounterAndItsTimesNeverGoBack() throws IOException {
        long seed = Seeds.seedOrRandom();
        TraceRing clientRing = new TraceRing(1 << 17);
        TraceRing serverRing = new TraceRing(1 << 17);
        SimTransfer t = new SimTransfer(seed, EndpointConfig.builder().tracer(serverRing),
                EndpointConfig.builder().tracer(clientRing), LOSSY, LOSSY);
        byte[] payload = new byte[1 << 20];
        new SplittableRandom(seed).nextBytes(payload);

        long conn = t.send(payload);
        t.run(60_000_000_000L);

        String why = Seeds.describe(seed);
        assertThat(t.completed()).as(why).isTrue();
        ConnectionStats.Snapshot stats = t.client.connectionStats(conn);
        List<JsonNode> client = parse(format(clientRing, true, conn));
        assertThat(clientRing.dropped()).as(why).isZero();
        assertThat(client.get(0).path("trace").path("vantage_point").path("type").asText()).isEqualTo("client");
        List<JsonNode> events = client.subList(1, client.size());
        assertThat(stats.packetsLost()).as(why).isPositive();
        assertThat(count(events, "recovery:packet_lost")).as(why).isEqualTo(stats.packetsLost());
        assertThat(count(events, "transport:packet_sent")).as(why).isPositive();
        assertThat(count(events, "recovery:metrics_updated")).as(why).isPositive();
        assertThat(count(events, "udpix:transfer_opened")).as(why).isEqualTo(1);
        assertThat(count(events, "udpix:transfer_completed")).as(why).isEqualTo(1);
        double last = Double.NEGATIVE_INFINITY;
        for (JsonNode e : events) {
            double time = e.path("time").asDouble(Double.NaN);
            assertThat(time).as("%s event %s", why, e).isGreaterThanOrEqualTo(last);
            last = time;
        }
        // Every CHUNK the client sent is in the trace with its transfer and offset: the whole item at least once.
        long chunkBytes = 0;
        for (JsonNode e : events) {
            if (e.path("name").asText().equals("transport:packet_sent")) {
                for (JsonNode f : e.path("data").path("frames")) {
                    if (f.path("frame_type").asText().equals("udpix:chunk")) {
                        chunkBytes += f.path("length").asLong();
                    }
                }
            }
        }
        assertThat(chunkBytes).as(why).isGreaterThanOrEqualTo(payload.length);

        long serverConn = t.server.allConnectionStats().get(0).connectionId();
        List<JsonNode> server = parse(format(serverRing, false, serverConn));
        assertThat(server.get(0).path("trace").path("vantage_point").path("type").asText()).isEqualTo("server");
        assertThat(count(server, "transport:packet_received")).as(why)
                .isEqualTo(t.server.connectionStats(serverConn).packetsReceived());
        assertThat(server.stream().filter(e -> e.path("name").asText().equals("udpix:transfer_completed"))
                .map(e -> e.path("data").path("direction").asText())).as(why).containsExactly("incoming");
    }

    @Test
    void aFullRingDropsRecordsAndTheClosingRecordSaysHowMany() throws IOException {
        long seed = Seeds.seedOrRandom();
        TraceRing clientRing = new TraceRing(TraceRing.MIN_RECORDS);
        SimTransfer t = new SimTransfer(seed, EndpointConfig.builder(), EndpointConfig.builder().tracer(clientRing),
                LOSSY, LOSSY);
        byte[] payload = new byte[256 << 10];
        new SplittableRandom(seed).nextBytes(payload);

        long conn = t.send(payload);
        t.run(60_000_000_000L);
        t.client.close(conn, ErrorCode.OK, "done", t.sim.nowNs());
        t.sim.runFor(1_000_000_000L);

        String why = Seeds.describe(seed);
        assertThat(t.completed()).as(why).isTrue();
        // Nobody drained: ordinary records filled all but the reserve, the closing one used the reserve.
        List<JsonNode> events = parse(format(clientRing, true, conn));
        assertThat(events).as(why).hasSize(1 + TraceRing.MIN_RECORDS - TraceRing.RESERVE_RECORDS + 1);
        JsonNode closed = events.get(events.size() - 1);
        assertThat(closed.path("name").asText()).isEqualTo("transport:connection_closed");
        assertThat(closed.path("data").path("udpix:records_dropped").asLong()).as(why)
                .isEqualTo(clientRing.dropped()).isPositive();
    }

    @Test
    void tracingChangesNothingTheConnectionDoes() {
        long seed = Seeds.seedOrRandom();
        List<ConnectionStats.Snapshot> runs = new ArrayList<>();
        for (Tracer tracer : new Tracer[] {null, new TraceRing(1 << 17)}) {
            SimTransfer t = new SimTransfer(seed, EndpointConfig.builder(), EndpointConfig.builder().tracer(tracer),
                    LOSSY, LOSSY);
            byte[] payload = new byte[512 << 10];
            new SplittableRandom(seed).nextBytes(payload);
            long conn = t.send(payload);
            t.run(60_000_000_000L);
            assertThat(t.completed()).as(Seeds.describe(seed)).isTrue();
            runs.add(t.client.connectionStats(conn));
        }
        assertThat(runs.get(1)).as(Seeds.describe(seed)).isEqualTo(runs.get(0));
    }

    /** Drains the ring the way the CLI's writer does: header, then each record of {@code connectionId}. */
    static String format(TraceRing ring, boolean client, long connectionId) {
        StringBuilder sb = new StringBuilder();
        QlogFormat.header(sb, client, connectionId, 0);
        long[] origin = {Long.MIN_VALUE};
        ring.drain((s, off) -> {
            if (s[off + 1] != connectionId) {
                return;
            }
            if (origin[0] == Long.MIN_VALUE) {
                origin[0] = s[off + 2];
            }
            QlogFormat.event(sb, s, off, origin[0]);
        }, Integer.MAX_VALUE);
        return sb.toString();
    }

    /** RFC 7464: every record is RS, one JSON text, LF; each must parse on its own. */
    static List<JsonNode> parse(String seq) throws IOException {
        assertThat(seq).startsWith("\u001e");
        List<JsonNode> out = new ArrayList<>();
        for (String record : seq.substring(1).split("\u001e", -1)) {
            assertThat(record).endsWith("\n");
            out.add(JSON.readTree(record));
        }
        return out;
    }

    private static long count(List<JsonNode> events, String name) {
        return events.stream().filter(e -> e.path("name").asText().equals(name)).count();
    }
}
