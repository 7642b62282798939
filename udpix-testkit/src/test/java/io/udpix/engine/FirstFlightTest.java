package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.TransferCompleted;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Seeds;
import io.udpix.wire.PacketType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Round trips before the first byte (docs/PROTOCOL.md section 5.1): without handshake load HELLO gets ACCEPT at
 * once (no RETRY round trip), and the item's first DATA leaves in the same flight as FINISH, so a small item is
 * confirmed two round trips after {@code connect}. Counted in datagrams and virtual time on a lossless link.
 */
class FirstFlightTest {
    private static final long ONE_WAY_NS = 50_000_000L;
    private static final long RTT_NS = 2 * ONE_WAY_NS;
    /** Serialisation of a few datagrams at 100 Mbit/s; far below one round trip. */
    private static final long SLACK_NS = 5_000_000L;
    private static final LinkSpec LINK = LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(50)
            .mtuBytes(1500).build();

    /** One datagram as the simulator saw it leave an endpoint. */
    private record Sent(long atNs, boolean fromClient, int type) {
    }

    @Test
    void aSmallItemIsConfirmedInTwoRoundTripsWithoutLoad() {
        long seed = Seeds.seedOrRandom();
        Run run = sendOnce(seed, 1_000);

        assertThat(run.types(true, PacketType.HELLO)).as("seed=%d %s", seed, run.sent).hasSize(1);
        assertThat(run.types(false, PacketType.RETRY)).as("seed=%d: no RETRY without load", seed).isEmpty();
        List<Sent> accept = run.types(false, PacketType.ACCEPT);
        assertThat(accept).as("seed=%d", seed).hasSize(1);
        assertThat(accept.get(0).atNs()).as("seed=%d: ACCEPT answers the first HELLO at once", seed)
                .isBetween(ONE_WAY_NS, ONE_WAY_NS + SLACK_NS);
        assertFinishAndDataLeaveTogether(seed, run);
        assertThat(run.completedNs).as("seed=%d: HELLO->ACCEPT, FINISH+DATA->ACK+RESULT", seed)
                .isBetween(2 * RTT_NS, 2 * RTT_NS + SLACK_NS);
    }

    @Test
    void a32KilobyteImageIsConfirmedInTwoRoundTripsWithoutLoad() {
        long seed = Seeds.seedOrRandom();
        Run run = sendOnce(seed, 32 * 1024);

        assertThat(run.types(false, PacketType.RETRY)).as("seed=%d", seed).isEmpty();
        assertFinishAndDataLeaveTogether(seed, run);
        // The whole item fits the initial congestion window, so it goes in the flight that completes the handshake.
        assertThat(run.completedNs).as("seed=%d %s", seed, run.sent)
                .isBetween(2 * RTT_NS, 2 * RTT_NS + SLACK_NS);
    }

    private static void assertFinishAndDataLeaveTogether(long seed, Run run) {
        List<Sent> finish = run.types(true, PacketType.FINISH);
        List<Sent> data = run.types(true, PacketType.DATA);
        assertThat(finish).as("seed=%d %s", seed, run.sent).isNotEmpty();
        assertThat(data).as("seed=%d %s", seed, run.sent).isNotEmpty();
        assertThat(finish.get(0).atNs()).as("seed=%d: FINISH goes when ACCEPT arrives", seed)
                .isBetween(RTT_NS, RTT_NS + SLACK_NS);
        assertThat(data.get(0).atNs()).as("seed=%d: the first DATA leaves with FINISH, not a round trip later", seed)
                .isEqualTo(finish.get(0).atNs());
    }

    private static Run sendOnce(long seed, int sizeBytes) {
        byte[] payload = new byte[sizeBytes];
        new SplittableRandom(seed).nextBytes(payload);
        SimTransfer t = new SimTransfer(seed, EndpointConfig.builder(), EndpointConfig.builder(), LINK, LINK);
        Run run = new Run();
        InetSocketAddress client = t.clientAddress;
        t.sim.onSend((nowNs, from, to, datagram) -> run.sent.add(
                new Sent(nowNs, from.equals(client), datagram.get(datagram.position() + 3) & 0xFF)));
        long startNs = t.sim.nowNs();
        t.send(payload);
        t.run(10_000_000_000L);
        assertThat(t.completed()).as("seed=%d events=%s", seed, t.clientEvents).isTrue();
        assertThat(t.received).as("seed=%d", seed).containsExactly(payload);
        assertThat(t.clientEvents).filteredOn(e -> e instanceof TransferCompleted).hasSize(1);
        run.completedNs = t.outcomeNs - startNs;
        return run;
    }

    /** What one transfer sent and when its sender learned it was complete. */
    private static final class Run {
        final List<Sent> sent = new ArrayList<>();
        long completedNs;

        List<Sent> types(boolean fromClient, int type) {
            return sent.stream().filter(s -> s.fromClient() == fromClient && s.type() == type).toList();
        }
    }
}
