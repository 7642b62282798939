package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SharedBottleneckTest {
    private static final int PAYLOAD = 1222; // 1250 wire bytes
    private static final long SECOND_NS = 1_000_000_000L;

    private record Flows(Simulator sim, RecordingReceiver receiver, InetSocketAddress a, InetSocketAddress b,
            Link[] links) {
        long from(InetSocketAddress sender) {
            long n = 0;
            for (int i = 0; i < receiver.count(); i++) {
                n += receiver.sender(i).equals(sender) ? 1 : 0;
            }
            return n;
        }
    }

    /** Two senders each offering 8 Mbit/s to one receiver, through one shared 10 Mbit/s link or two separate. */
    private static Flows flows(boolean shared) {
        Simulator sim = new Simulator(61);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        InetSocketAddress c = sim.newAddress();
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).delayMillis(10).queueBytes(25_000).build();
        Link first = sim.link(spec);
        Link second = shared ? first : sim.link(spec);
        sim.route(a, c, first);
        sim.route(b, c, second);
        long interval = NumberingSender.intervalForRate(PAYLOAD, 8_000_000);
        sim.attach(a, new NumberingSender(c, 800 * 5, PAYLOAD, interval, 0));
        // Slightly different periods: strictly periodic flows in lockstep let drop-tail starve one of them.
        sim.attach(b, new NumberingSender(c, 800 * 5, PAYLOAD, interval * 1013 / 1000, interval / 3));
        RecordingReceiver receiver = new RecordingReceiver();
        sim.attach(c, receiver);
        sim.runFor(5 * SECOND_NS);
        return new Flows(sim, receiver, a, b, new Link[] {first, second});
    }

    @Test
    void twoRoutesThroughOneLinkShareItsRate() {
        Flows f = flows(true);
        long total = f.receiver().count();
        // 10 Mbit/s = 1000 datagrams of 1250 wire bytes per second; 5 s minus the 10 ms propagation.
        assertThat(total).isBetween(4_980L, 5_000L);
        assertThat(f.from(f.a())).isBetween(total * 4 / 10, total * 6 / 10);
        assertThat(f.from(f.b())).isEqualTo(total - f.from(f.a()));
        LinkStats s = f.links()[0].stats();
        assertThat(s.offeredDatagrams()).isBetween(7_940L, 8_000L);
        assertThat(s.droppedQueue()).isGreaterThan(2_900);
    }

    @Test
    void twoSeparateLinksEachCarryTheirFlowInFull() {
        Flows f = flows(false);
        assertThat(f.from(f.a())).isBetween(3_990L, 4_000L);
        assertThat(f.from(f.b())).isBetween(3_930L, 3_950L);
        assertThat(f.links()[0].stats().droppedQueue()).isZero();
    }
}
