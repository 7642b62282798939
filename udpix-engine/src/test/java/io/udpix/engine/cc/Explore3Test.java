package io.udpix.engine.cc;

import org.junit.jupiter.api.Test;

class Explore3Test {
    static final long S = 1_000_000_000L;
    @Test
    void explore() {
        long seed0 = TestSeeds.seed();
        double worstRatio = 1, worstUtil = 1, worstUtilLoss = 1, worstP95 = 0;
        int n = Integer.getInteger("n", 20);
        for (int k = 0; k < n; k++) {
            long seed = seed0 + k;
            BottleneckLink link = new BottleneckLink(12_500_000L, 50_000_000L, 625_000L, 0, seed);
            LinkSimulation sim = new LinkSimulation(link, 60 * S);
            CongestionControllerFactory fac = CongestionControllers.bbr(seed);
            PacedSender a = sim.addFlow(fac, 1200, 0);
            PacedSender b = sim.addFlow(fac, 1200, S);
            sim.run();
            double ra = a.goodputBytes(20*S,60*S)/(12.5e6*40), rb = b.goodputBytes(20*S,60*S)/(12.5e6*40);
            double ratio = Math.min(ra, rb) / Math.max(ra, rb);
            worstRatio = Math.min(worstRatio, ratio);
            BottleneckLink l2 = new BottleneckLink(12_500_000L, 50_000_000L, 625_000L, 0.02, seed);
            LinkSimulation s2 = new LinkSimulation(l2, 30 * S);
            PacedSender f = s2.addFlow(CongestionControllers.bbr(seed), 1200, 0);
            s2.run();
            double u = f.goodputBytes(0, 30*S)/(12.5e6*30);
            worstUtilLoss = Math.min(worstUtilLoss, u);
            BottleneckLink l3 = new BottleneckLink(12_500_000L, 50_000_000L, 625_000L, 0, seed);
            LinkSimulation s3 = new LinkSimulation(l3, 30 * S);
            PacedSender g = s3.addFlow(CongestionControllers.bbr(seed), 1200, 0);
            s3.run();
            double p95 = (double) g.rttQuantileNs(0.95) / g.minRttNs();
            worstP95 = Math.max(worstP95, p95);
            System.out.printf("seed=%d ratio=%.3f (%.3f/%.3f) util2%%=%.3f p95/min=%.3f%n", seed, ratio, ra, rb, u, p95);
        }
        System.out.printf("WORST ratio=%.3f util2%%=%.3f p95/min=%.3f%n", worstRatio, worstUtilLoss, worstP95);
    }
}
