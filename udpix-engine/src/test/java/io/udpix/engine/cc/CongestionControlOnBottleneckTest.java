package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The targets, checked on the test bottleneck (a packet-level model, not the engine): 100 Mbit/s,
 * 50 ms RTT, 1-BDP drop-tail buffer, 1200-byte packets, virtual time. Goodput counts unique content bytes.
 */
class CongestionControlOnBottleneckTest {
    private static final long S = 1_000_000_000L;
    private static final long RATE_BYTES_PER_SECOND = 12_500_000L; // 100 Mbit/s
    private static final long RTT_NS = 50_000_000L;
    private static final long BDP_BYTES = RATE_BYTES_PER_SECOND * RTT_NS / S;
    private static final int PACKET_BYTES = 1200;

    private static double utilisation(CongestionControllerFactory factory, double lossProbability, long seed) {
        BottleneckLink link = new BottleneckLink(RATE_BYTES_PER_SECOND, RTT_NS, BDP_BYTES, lossProbability, seed);
        LinkSimulation simulation = new LinkSimulation(link, 30 * S);
        PacedSender sender = simulation.addFlow(factory, PACKET_BYTES, 0);
        simulation.run();
        return sender.goodputBytes(0, 30 * S) / (RATE_BYTES_PER_SECOND * 30.0);
    }

    @Test
    void bbrKeepsARandomlyLossyLinkBusy() {
        long seed = TestSeeds.seed();
        double utilisation = utilisation(CongestionControllers.bbr(seed), 0.02, seed);
        // 2% of the link carries packets that are then lost, so 98% is the ceiling.
        assertThat(utilisation).as("goodput / link rate over 30 s with 2%% random loss, seed=%d", seed)
                .isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void newRenoCollapsesUnderTheSameRandomLossWhichIsWhyBbrIsTheDefault() {
        long seed = TestSeeds.seed();
        double reno = utilisation(CongestionControllers.newReno(), 0.02, seed);
        double bbr = utilisation(CongestionControllers.bbr(seed), 0.02, seed);
        // Mathis et al.: rate ~ 1.22 x MSS / (RTT x sqrt(p)) = 0.2 MB/s, about 2% of the link.
        assertThat(reno).as("NewReno goodput / link rate, seed=%d", seed).isLessThan(0.10);
        assertThat(bbr).as("BBR vs NewReno, seed=%d", seed).isGreaterThan(5 * reno);
    }

    @Test
    void bbrKeepsTheQueueShortOnADropTailLink() {
        long seed = TestSeeds.seed();
        BottleneckLink link = new BottleneckLink(RATE_BYTES_PER_SECOND, RTT_NS, BDP_BYTES, 0, seed);
        LinkSimulation simulation = new LinkSimulation(link, 30 * S);
        PacedSender sender = simulation.addFlow(CongestionControllers.bbr(seed), PACKET_BYTES, 0);
        simulation.run();
        long p95Ns = sender.rttQuantileNs(0.95);
        long minNs = sender.minRttNs();
        assertThat((double) p95Ns / minNs).as("p95 RTT %d ns vs min %d ns, seed=%d", p95Ns, minNs, seed)
                .isLessThanOrEqualTo(1.5);
        assertThat(sender.goodputBytes(0, 30 * S) / (RATE_BYTES_PER_SECOND * 30.0))
                .as("while keeping the link busy, seed=%d", seed).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void twoBbrFlowsStartedASecondApartShareTheLinkFairly() {
        long seed = TestSeeds.seed();
        BottleneckLink link = new BottleneckLink(RATE_BYTES_PER_SECOND, RTT_NS, BDP_BYTES, 0, seed);
        LinkSimulation simulation = new LinkSimulation(link, 60 * S);
        CongestionControllerFactory factory = CongestionControllers.bbr(seed);
        PacedSender first = simulation.addFlow(factory, PACKET_BYTES, 0);
        PacedSender second = simulation.addFlow(factory, PACKET_BYTES, 1 * S);
        simulation.run();
        // Rates once converged: the last 40 of the 60 seconds.
        double firstRate = first.goodputBytes(20 * S, 60 * S) / 40.0;
        double secondRate = second.goodputBytes(20 * S, 60 * S) / 40.0;
        double ratio = Math.min(firstRate, secondRate) / Math.max(firstRate, secondRate);
        assertThat(ratio).as("rates %.0f and %.0f B/s, seed=%d", firstRate, secondRate, seed)
                .isGreaterThanOrEqualTo(0.75);
        assertThat((firstRate + secondRate) / RATE_BYTES_PER_SECOND).as("together they fill the link, seed=%d", seed)
                .isGreaterThanOrEqualTo(0.90);
    }
}
