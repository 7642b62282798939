package io.udpix.engine.cc;

import org.junit.jupiter.api.Test;

class Explore2Test {
    static final long S = 1_000_000_000L;
    @Test
    void explore() {
        long seed = TestSeeds.seed();
        BottleneckLink link = new BottleneckLink(12_500_000L, 50_000_000L, 625_000L, 0, seed);
        LinkSimulation sim = new LinkSimulation(link, 60 * S);
        CongestionControllerFactory fac = CongestionControllers.bbr(seed);
        PacedSender a = sim.addFlow(fac, 1200, 0);
        PacedSender b = sim.addFlow(fac, 1200, S);
        sim.runUntil(30 * S);
        long maxSample = 0;
        for (long t = 30 * S; t < 30 * S + 600_000_000L; t += 5_000_000L) {
            sim.runUntil(t);
            Bbr x = (Bbr) a.cc, y = (Bbr) b.cc;
            System.out.printf("t=%.3f A g=%.2f bw=%.3f pr=%.3f s=%.3f | B g=%.2f idx=%d bw=%.3f pr=%.3f s=%.3f int=%.1f%n", t/1e9,
                x.pacingGain(), x.bottleneckBandwidthBytesPerSecond()/12.5e6, x.pacingRateBytesPerSecond()/12.5e6, x.sampler().sampleRateBytesPerSecond()/12.5e6,
                y.pacingGain(), y.cycleIndex(), y.bottleneckBandwidthBytesPerSecond()/12.5e6, y.pacingRateBytesPerSecond()/12.5e6, y.sampler().sampleRateBytesPerSecond()/12.5e6, y.sampler().sampleIntervalNs()/1e6);
        }
    }
}
