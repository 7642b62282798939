package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import io.udpix.engine.stream.StreamStats;
import io.udpix.engine.trace.TraceRing;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Seeds;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A simulated frame stream with loss, over a path too narrow for every frame, traced at both ends (docs/QLOG.md):
 * each frame's fate in the trace adds up to the stream's own counters, on the sender and on the receiver.
 */
class StreamTraceUnderLossTest {
    private static final long MS = 1_000_000L;

    @Test
    void theTraceRecordsEveryFramesFateAndTheCountsMatchTheStreamsFigures() throws IOException {
        long seed = Seeds.seedOrRandom();
        // 8 Mbit/s is 1 MB/s: 30 frames of 25-45 KB a second do not all fit, so some are dropped at the source
        // or abandoned; 5% loss makes repairs, parity (20%) rebuilds some frames, and some arrive late or never.
        LinkSpec path = LinkSpec.builder().rateBitsPerSecond(8_000_000L).delayNs(30 * MS).mtuBytes(1500)
                .queueBytes(60_000).lossProbability(0.05).build();
        StreamParams params = new StreamParams(StreamCodec.JPEG, 150 * MS, 3000, 640, 480, "cam", FecMode.percent(20));
        TraceRing clientRing = new TraceRing(1 << 18);
        TraceRing serverRing = new TraceRing(1 << 18);
        SimStream run = new SimStream(seed, path, path, params, 150, 1_000_000_000L / 30, 25_000, 45_000, 2 * MS,
                EndpointConfig.builder().tracer(serverRing), EndpointConfig.builder().tracer(clientRing));
        run.start();
        RunResult r = run.run(60_000_000_000L);
        String why = Seeds.describe(seed) + " run=" + r;
        assertThat(run.ended()).as(why).isTrue();
        assertThat(clientRing.dropped() + serverRing.dropped()).as(why).isZero();

        StreamStats sender = run.clientEnded.stats();
        List<JsonNode> out = TraceUnderLossTest.parse(TraceUnderLossTest.format(clientRing, true, run.connectionId));
        why += " sender " + sender;
        assertThat(count(out, "udpix:frame_queued")).as(why).isEqualTo(run.handedFrames - run.refusedFrames);
        assertThat(count(out, "udpix:frame_dropped_at_source")).as(why).isEqualTo(sender.droppedAtSource())
                .isPositive();
        assertThat(count(out, "udpix:frame_abandoned")).as(why).isEqualTo(sender.abandoned()).isPositive();
        assertThat(count(out, "udpix:fragment_repaired")).as(why).isEqualTo(sender.retransmittedFragments())
                .isPositive();
        // Every parity packet sent is also a packet_sent carrying a PARITY frame.
        assertThat(count(out, "udpix:parity_sent")).as(why).isEqualTo(sentFrames(out, "udpix:parity")).isPositive();
        assertThat(out.stream().filter(e -> e.path("name").asText().equals("udpix:frame_dropped_at_source"))
                .map(e -> e.path("data").path("reason").asText()).distinct())
                .as(why).isSubsetOf("replaced", "too_late", "too_large_for_path");

        long serverConn = run.server.allConnectionStats().get(0).connectionId();
        StreamStats receiver = run.serverEnded.stats();
        List<JsonNode> in = TraceUnderLossTest.parse(TraceUnderLossTest.format(serverRing, false, serverConn));
        why += " receiver " + receiver;
        List<JsonNode> delivered = in.stream().filter(e -> e.path("name").asText().equals("udpix:frame_delivered"))
                .toList();
        assertThat((long) delivered.size()).as(why).isEqualTo(receiver.onTime()).isPositive();
        assertThat(delivered.stream().filter(e -> e.path("data").path("fec_recovered").asBoolean()).count())
                .as(why).isEqualTo(receiver.fecRecovered()).isPositive();
        assertThat(count(in, "udpix:frame_late")).as(why).isEqualTo(receiver.late());
        long lost = in.stream().filter(e -> e.path("name").asText().equals("udpix:frames_lost"))
                .mapToLong(e -> e.path("data").path("count").asLong()).sum();
        assertThat(lost).as(why).isEqualTo(receiver.lost());
        assertThat(receiver.late() + receiver.lost()).as(why).isPositive();
        // Each frame is accounted once: delivered, late and lost runs never name the same frame twice.
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (JsonNode e : in) {
            String name = e.path("name").asText();
            JsonNode d = e.path("data");
            if (name.equals("udpix:frame_delivered") || name.equals("udpix:frame_late")) {
                assertThat(seen.add(d.path("frame_number").asLong())).as("%s %s", why, e).isTrue();
            } else if (name.equals("udpix:frames_lost")) {
                for (long n = 0; n < d.path("count").asLong(); n++) {
                    assertThat(seen.add(d.path("first_frame_number").asLong() + n)).as("%s %s", why, e).isTrue();
                }
            }
        }
        System.out.printf("stream trace: queued %d, dropped at source %d, abandoned %d, repaired %d, parity %d; "
                + "delivered %d (fec %d), late %d, lost %d; %d + %d events, %s%n", count(out, "udpix:frame_queued"),
                sender.droppedAtSource(), sender.abandoned(), sender.retransmittedFragments(),
                count(out, "udpix:parity_sent"), receiver.onTime(), receiver.fecRecovered(), receiver.late(),
                receiver.lost(), out.size(), in.size(), Seeds.describe(seed));
    }

    private static long count(List<JsonNode> events, String name) {
        return events.stream().filter(e -> e.path("name").asText().equals(name)).count();
    }

    private static long sentFrames(List<JsonNode> events, String frameType) {
        long n = 0;
        for (JsonNode e : events) {
            if (e.path("name").asText().equals("transport:packet_sent")) {
                for (JsonNode f : e.path("data").path("frames")) {
                    if (f.path("frame_type").asText().equals(frameType)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
