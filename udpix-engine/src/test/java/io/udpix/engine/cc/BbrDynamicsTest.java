package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BBR's state machine over time on the test bottleneck: 100 Mbit/s, 50 ms, 1-BDP drop-tail buffer. */
class BbrDynamicsTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long RATE_BYTES_PER_SECOND = 12_500_000L;
    private static final long RTT_NS = 50 * MS;
    private static final int PACKET_BYTES = 1200;

    private record Step(long atNs, Bbr.Mode mode, int cycleIndex, double pacingGain, long cwndBytes) {
    }

    private static final class Run {
        final long seed = TestSeeds.seed();
        final BottleneckLink link = new BottleneckLink(RATE_BYTES_PER_SECOND, RTT_NS, 625_000, 0, seed);
        final LinkSimulation simulation = new LinkSimulation(link, 30 * S);
        final PacedSender sender = simulation.addFlow(CongestionControllers.bbr(seed), PACKET_BYTES, 0);
        final Bbr bbr = (Bbr) sender.cc;

        /** Runs in 1 ms steps until {@code untilNs}, recording each step where the state changed. */
        List<Step> record(long untilNs) {
            List<Step> steps = new ArrayList<>();
            for (long t = 0; t <= untilNs; t += MS) {
                simulation.runUntil(t);
                Step step = new Step(t, bbr.mode(), bbr.cycleIndex(), bbr.pacingGain(), bbr.congestionWindowBytes());
                Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
                if (last == null || last.mode != step.mode || last.cycleIndex != step.cycleIndex
                        || last.cwndBytes != step.cwndBytes) {
                    steps.add(step);
                }
            }
            return steps;
        }
    }

    @Test
    void goesFromStartupThroughDrainToProbeBwWithAnAccurateModel() {
        Run run = new Run();
        List<Bbr.Mode> modes = new ArrayList<>();
        long drainAtNs = -1;
        long probeBwAtNs = -1;
        for (long t = 0; t <= 2 * S && probeBwAtNs < 0; t += MS) {
            run.simulation.runUntil(t);
            Bbr.Mode mode = run.bbr.mode();
            if (modes.isEmpty() || modes.get(modes.size() - 1) != mode) {
                modes.add(mode);
                if (mode == Bbr.Mode.STARTUP) {
                    assertThat(run.bbr.pacingGain()).isEqualTo(Bbr.STARTUP_GAIN);
                } else if (mode == Bbr.Mode.DRAIN) {
                    drainAtNs = t;
                    assertThat(run.bbr.pacingGain()).as("seed=%d", run.seed).isEqualTo(Bbr.DRAIN_GAIN);
                } else if (mode == Bbr.Mode.PROBE_BW) {
                    probeBwAtNs = t;
                }
            }
        }
        assertThat(modes).as("seed=%d", run.seed)
                .containsExactly(Bbr.Mode.STARTUP, Bbr.Mode.DRAIN, Bbr.Mode.PROBE_BW);
        // 2.885x per round from 32 packets reaches 520 packets of BDP in about 3 rounds, plus 3 flat rounds.
        assertThat(drainAtNs).as("seed=%d", run.seed).isBetween(200 * MS, 1000 * MS);
        assertThat(probeBwAtNs - drainAtNs).as("seed=%d", run.seed).isLessThan(300 * MS);
        assertThat(run.bbr.bottleneckBandwidthBytesPerSecond()).as("seed=%d", run.seed)
                .isBetween(RATE_BYTES_PER_SECOND * 95 / 100, RATE_BYTES_PER_SECOND * 102 / 100);
        assertThat(run.bbr.rtPropNs()).as("seed=%d", run.seed).isBetween(RTT_NS, RTT_NS + MS);
    }

    @Test
    void probeBwCyclesProbeUpDrainAndARandomCruise() {
        Run run = new Run();
        run.simulation.runUntil(3 * S);
        assertThat(run.bbr.mode()).as("seed=%d", run.seed).isEqualTo(Bbr.Mode.PROBE_BW);
        List<Step> steps = run.record(9 * S);
        Set<Integer> cycleLengths = new HashSet<>();
        int previousIndex = -1;
        long phaseStartNs = -1;
        int maxIndex = -1;
        for (Step step : steps) {
            if (step.atNs < 3 * S || step.cycleIndex == previousIndex) {
                continue;
            }
            assertThat(step.mode).as("seed=%d", run.seed).isEqualTo(Bbr.Mode.PROBE_BW);
            double expectedGain = step.cycleIndex == 0 ? 1.25 : step.cycleIndex == 1 ? 0.75 : 1.0;
            assertThat(step.pacingGain).as("phase %d at %d ns, seed=%d", step.cycleIndex, step.atNs, run.seed)
                    .isEqualTo(expectedGain);
            if (previousIndex >= 2 && phaseStartNs >= 0) {
                assertThat(step.atNs - phaseStartNs).as("cruise phases last an RTprop, seed=%d", run.seed)
                        .isGreaterThanOrEqualTo(RTT_NS - MS);
            }
            if (step.cycleIndex == 0) {
                if (maxIndex >= 0 && phaseStartNs >= 0 && previousIndex == maxIndex) {
                    cycleLengths.add(maxIndex + 1);
                }
                maxIndex = 0;
            } else if (previousIndex >= 0) {
                assertThat(step.cycleIndex).as("seed=%d", run.seed).isEqualTo(previousIndex + 1);
                maxIndex = step.cycleIndex;
            }
            previousIndex = step.cycleIndex;
            phaseStartNs = step.atNs;
        }
        assertThat(cycleLengths).as("seed=%d", run.seed).isNotEmpty().allSatisfy(length ->
                assertThat(length).isBetween(2 + Bbr.CRUISE_PHASES_MIN,
                        2 + Bbr.CRUISE_PHASES_MIN + Bbr.CRUISE_PHASES_RANDOM_RANGE - 1));
        assertThat(cycleLengths).as("the cruise length varies, seed=%d", run.seed).hasSizeGreaterThan(1);
    }

    @Test
    void keepsTheWindowNearOneAndAHalfBdpInProbeBw() {
        Run run = new Run();
        run.simulation.runUntil(3 * S);
        long maxCwndBytes = 0;
        for (Step step : run.record(10 * S)) {
            if (step.atNs >= 3 * S && step.mode == Bbr.Mode.PROBE_BW) {
                maxCwndBytes = Math.max(maxCwndBytes, step.cwndBytes);
            }
        }
        long bdpBytes = run.link.bdpBytes();
        // 1.5 x BDP of a slightly high estimate, plus three 1 ms send quanta (12,500 bytes each).
        assertThat(maxCwndBytes).as("seed=%d", run.seed).isGreaterThan(bdpBytes)
                .isLessThanOrEqualTo(bdpBytes * 3 / 2 * 102 / 100 + 3 * 12_500);
    }

    @Test
    void remeasuresThePropagationDelayAfterTenSecondsWithoutANewMinimum() {
        Run run = new Run();
        run.simulation.runUntil(2 * S);
        // The route lengthens: the 50 ms minimum can never be seen again.
        run.link.setPropagationRttNs(60 * MS);
        List<Step> steps = run.record(13 * S);
        long enteredNs = -1;
        long leftNs = -1;
        long maxCwndInProbeRttBytes = 0;
        for (Step step : steps) {
            if (step.mode == Bbr.Mode.PROBE_RTT) {
                if (enteredNs < 0) {
                    enteredNs = step.atNs;
                }
                maxCwndInProbeRttBytes = Math.max(maxCwndInProbeRttBytes, step.cwndBytes);
            } else if (enteredNs >= 0 && leftNs < 0) {
                leftNs = step.atNs;
                assertThat(step.mode).as("seed=%d", run.seed).isEqualTo(Bbr.Mode.PROBE_BW);
            }
        }
        // 10 s after RTprop was last confirmed, which was at the route change (2 s) or earlier.
        assertThat(enteredNs).as("seed=%d", run.seed).isBetween(10_000 * MS, 12_100 * MS);
        assertThat(leftNs - enteredNs).as("200 ms at half a BDP plus draining and one round, seed=%d", run.seed)
                .isBetween(Bbr.PROBE_RTT_DURATION_NS, Bbr.PROBE_RTT_DURATION_NS + 4 * 60 * MS);
        // ProbeRTT holds half a BDP (BBRv2 / BBRv3 draft), plus the ACK-aggregation allowance: below one BDP at the
        // old 50 ms minimum, so the bottleneck queue drains, and above BBRv1's 4 packets, so a stream keeps flowing.
        long bdpBytes = RATE_BYTES_PER_SECOND * 50 * MS / S;
        assertThat(maxCwndInProbeRttBytes).as("seed=%d", run.seed)
                .isGreaterThan((long) Bbr.MIN_PIPE_CWND_PACKETS * PACKET_BYTES).isLessThan(bdpBytes);
        assertThat(run.bbr.rtPropNs()).as("seed=%d", run.seed).isBetween(60 * MS, 61 * MS);
    }
}
