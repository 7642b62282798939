package io.udpix.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udpix.api.PeerStats;
import io.udpix.api.ServerStats;
import io.udpix.api.SocketStats;
import io.udpix.api.stream.StreamStatus;
import java.net.InetSocketAddress;
import io.udpix.engine.DropReason;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamStats;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot object from given figures: rates per interval, ports summed over sockets, stream keys. */
class SnapshotJsonTest {
    private static final long S = 1_000_000_000L;

    @Test
    void ratesAreOverTheIntervalSinceTheLastSnapshotAtLeastHalfASecondOlder() {
        SnapshotJson json = new SnapshotJson(() -> ServerStats.EMPTY, new DashboardFeed(Clock.systemUTC()), "fp",
                Clock.systemUTC());
        assertThat(rx(json.build(stats(1_000, 0), 0))).as("no base yet").isZero();
        assertThat(rx(json.build(stats(3_000, 0), S))).isEqualTo(2_000);
        assertThat(rx(json.build(stats(3_500, 0), S + S / 5))).as("0.2 s later: over 0.2 s, base kept")
                .isEqualTo(2_500);
        assertThat(rx(json.build(stats(4_000, 0), 2 * S))).as("against the base at 1 s").isEqualTo(1_000);
    }

    @Test
    void aPortServedBySeveralSocketsIsOneRowAndAnIpv6StreamGetsTheFramesKey() {
        PeerStats peer = new PeerStats(0xabcL, "::1:5000", "server", 2_000_000, 1_000_000, 500_000, 10, 20, 30, 40,
                1200, 100, 90, 5, 0, 0, 0, 0, 0);
        StreamStats stream = new StreamStats(0xabcL, 3, true, StreamCodec.JPEG, 150_000_000, 10, 9, 1, 0, 0, 0, 0, 0,
                0, 0, 0, 4_000_000, 9_000_000, 9_000_000, 0, 0, 0);
        StreamStatus status = new StreamStatus(new InetSocketAddress("::1", 5000), 9000, "cam", stream, 0, 25);
        SocketStats a = socket(9000, 100, List.of(peer), List.of(status));
        SocketStats b = socket(9000, 50, List.of(), List.of());
        ServerStats s = new ServerStats(150, 0, 0, 0, 1, 0, Map.of(DropReason.values()[0], 2L), 0, List.of(a, b));
        ObjectNode o = new SnapshotJson(() -> s, new DashboardFeed(Clock.systemUTC()), "fp", Clock.systemUTC())
                .build(s, 0);
        assertThat(o.at("/ports").size()).isEqualTo(1);
        assertThat(o.at("/ports/0/datagramsReceived").asLong()).isEqualTo(150);
        assertThat(o.at("/totals/dropsTotal").asLong()).isEqualTo(2);
        assertThat(o.at("/connections/0/peer").asText()).isEqualTo("[::1]:5000");
        assertThat(o.at("/connections/0/id").asText()).isEqualTo("abc");
        assertThat(o.at("/connections/0/rttMs").asDouble()).isEqualTo(2.0);
        assertThat(o.at("/connections/0/lossPercent").asDouble()).isEqualTo(5.0);
        assertThat(o.at("/streams/0/key").asText()).as("as Frame.streamKey() writes it")
                .isEqualTo(status.streamKey()).isEqualTo("[0:0:0:0:0:0:0:1]:5000#3");
        assertThat(o.at("/streams/0/name").asText()).isEqualTo("cam");
        assertThat(o.at("/streams/0/fps").asDouble()).as("the first snapshot takes the server's rate").isEqualTo(25);
        assertThat(o.at("/streams/0/latencyP99Ms").asDouble()).isEqualTo(9.0);
        assertThat(o.at("/streams/0/mjpeg").asText())
                .isEqualTo("/api/stream/%5B0%3A0%3A0%3A0%3A0%3A0%3A0%3A1%5D%3A5000%233.mjpg");
    }

    private static double rx(ObjectNode o) {
        return o.at("/totals/receiveBytesPerSecond").asDouble();
    }

    private static ServerStats stats(long bytesReceived, long bytesSent) {
        return new ServerStats(0, 0, bytesReceived, bytesSent, 0, 0, Map.of(), 0, List.of());
    }

    private static SocketStats socket(int port, long datagrams, List<PeerStats> peers, List<StreamStatus> streams) {
        return new SocketStats(port, 0, datagrams, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), peers, streams, 0,
                null);
    }
}
