package io.udpix.engine.cc;

import org.junit.jupiter.api.Test;

class ExploreTest {
    static final long S = 1_000_000_000L;
    static String cap(Bbr x) { return x.inflightCapBytes()==Long.MAX_VALUE?"-":String.format("%.2f", x.inflightCapBytes()/625000.0); }
    @Test
    void explore() {
        long seed0 = TestSeeds.seed();
        boolean verbose = Boolean.getBoolean("verbose");
        for (int k = 0; k < 4; k++) {
          long seed = seed0 + k;
          for (double loss : new double[] {0.0, 0.02}) {
            long t0 = System.nanoTime();
            BottleneckLink link = new BottleneckLink(12_500_000L, 50_000_000L, 625_000L, loss, seed);
            LinkSimulation sim = new LinkSimulation(link, 60 * S);
            CongestionControllerFactory fac = CongestionControllers.bbr(seed);
            PacedSender a = sim.addFlow(fac, 1200, 0);
            PacedSender b = sim.addFlow(fac, 1200, S);
            a.recordRttFrom(0); b.recordRttFrom(0);
            StringBuilder sb = new StringBuilder();
            for (long t = 1_000_000_000L; t <= 60 * S; t += 500_000_000L) {
                sim.runUntil(t);
                Bbr x = (Bbr) a.cc, y = (Bbr) b.cc;
                if (verbose && k == 0) System.out.printf("t=%.2f A %s bw=%.2f rtp=%.1f cw=%.2f cap=%s | B %s bw=%.2f rtp=%.1f cw=%.2f cap=%s | tail=%d rtt=%.1f infA=%.2f infB=%.2f%n", t/1e9,
                    x.mode(), x.bottleneckBandwidthBytesPerSecond()/12.5e6, x.rtPropNs()/1e6, x.congestionWindowBytes()/625000.0, cap(x),
                    y.mode(), y.bottleneckBandwidthBytesPerSecond()/12.5e6, y.rtPropNs()/1e6, y.congestionWindowBytes()/625000.0, cap(y), link.tailDrops(), a.latestRttNs()/1e6, a.bytesInFlight()/625000.0, b.bytesInFlight()/625000.0);
            }
            for (int w = 0; w < 60; w += 10) {
                sb.append(String.format(" [%d]%.2f/%.2f", w, a.goodputBytes(w*S,(w+10)*S)/(12.5e6*10), b.goodputBytes(w*S,(w+10)*S)/(12.5e6*10)));
            }
            System.out.printf("seed=%d loss=%.2f a=%.3f b=%.3f (10-60) p50=%d p95=%d tail=%d cpu=%dms%s%n", seed, loss, a.goodputBytes(10*S,60*S)/(12.5e6*50), b.goodputBytes(10*S,60*S)/(12.5e6*50),
               a.rttQuantileNs(0.5)/1000, a.rttQuantileNs(0.95)/1000, link.tailDrops(), (System.nanoTime()-t0)/1_000_000, sb);
          }
        }
        for (int k = 0; k < 3; k++) {
          long seed = seed0 + k;
          for (double loss : new double[] {0.0, 0.02}) {
            BottleneckLink link = new BottleneckLink(12_500_000L, 50_000_000L, 625_000L, loss, seed);
            LinkSimulation sim = new LinkSimulation(link, 30 * S);
            PacedSender f = sim.addFlow(CongestionControllers.bbr(seed), 1200, 0);
            f.recordRttFrom(0);
            sim.run();
            System.out.printf("single seed=%d loss=%.2f util=%.3f p50=%d p95=%d p99=%d min=%d tail=%d%n", seed, loss,
                f.goodputBytes(0, 30 * S) / (12.5e6 * 30), f.rttQuantileNs(0.5)/1000, f.rttQuantileNs(0.95)/1000, f.rttQuantileNs(0.99)/1000, f.minRttNs()/1000, link.tailDrops());
          }
        }
    }
}
