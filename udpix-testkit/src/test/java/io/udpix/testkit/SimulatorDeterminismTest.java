package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SimulatorDeterminismTest {

    /** Every impairment at once, both directions, so every random stream is exercised. */
    private static final LinkSpec ROUGH = LinkSpec.builder()
            .rateMegabitsPerSecond(20).delayMillis(15).jitterNs(3_000_000).lossProbability(0.05)
            .burstLoss(0.01, 0.3, 0.8).reorder(0.05, 4_000_000).duplicateProbability(0.03)
            .corruptProbability(0.02).mtuBytes(1500).queueBytes(30_000).blackout(200_000_000, 300_000_000)
            .build();

    /** FNV-1a over every delivery: time, addresses and bytes. */
    private static final class TraceHash implements DatagramObserver {
        long hash = 0xcbf29ce484222325L;
        long deliveries;

        private void mix(long v) {
            for (int i = 0; i < 8; i++) {
                hash = (hash ^ ((v >>> (8 * i)) & 0xff)) * 0x100000001b3L;
            }
        }

        @Override
        public void onDatagram(long nowNs, InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram) {
            deliveries++;
            mix(nowNs);
            mix(from.hashCode());
            mix(to.hashCode());
            for (int i = datagram.position(); i < datagram.limit(); i++) {
                hash = (hash ^ (datagram.get(i) & 0xff)) * 0x100000001b3L;
            }
        }
    }

    private static TraceHash run(long seed) {
        Simulator sim = new Simulator(seed);
        InetSocketAddress client = sim.newAddress();
        InetSocketAddress server = sim.newAddress();
        sim.routeBoth(client, server, ROUGH, ROUGH);
        NumberingSender sender = new NumberingSender(server, 3_000, 1200, 1_000_000, 0);
        sim.attach(client, sender);
        sim.attach(server, new EchoEndpoint());
        TraceHash trace = new TraceHash();
        sim.onDeliver(trace);
        sim.runUntil(() -> false, 10_000_000_000L);
        return trace;
    }

    @Test
    void sameSeedReplaysTheSameDeliveryTraceBitForBit() {
        long seed = Seeds.seedOrRandom();
        TraceHash first = run(seed);
        TraceHash second = run(seed);
        assertThat(first.deliveries).as(Seeds.describe(seed)).isGreaterThan(3_000);
        assertThat(second.hash).as(Seeds.describe(seed)).isEqualTo(first.hash);
        assertThat(second.deliveries).as(Seeds.describe(seed)).isEqualTo(first.deliveries);
    }

    @Test
    void differentSeedsGiveDifferentTraces() {
        assertThat(run(1).hash).isNotEqualTo(run(2).hash);
    }
}
