package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FecPlannerTest {
    private static final long MS = 1_000_000L;

    @Test
    void aStrideNeverExceedsWhatParitysU16FieldHolds() {
        // 65,536 fragments (the most a frame may have) at 100%: ceil would ask for 65,536 groups.
        assertThat(FecPlanner.stride(FecMode.percent(100), 0, 50 * MS, 150 * MS, 65_536, 8 * MS)).isEqualTo(65_535);
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.5, 500 * MS, 150 * MS, 65_536, 8 * MS)).isLessThanOrEqualTo(65_535);
    }

    @Test
    void offSendsNoParityWhateverTheLoss() {
        assertThat(FecPlanner.stride(FecMode.OFF, 0.3, 50 * MS, 20 * MS, 75, 8 * MS)).isZero();
    }

    @Test
    void aPercentIsRoundedUpToWholeGroupsAndNeverBeyondOneParityPerFragment() {
        assertThat(FecPlanner.stride(FecMode.percent(20), 0, 50 * MS, 150 * MS, 75, 8 * MS)).isEqualTo(15);
        assertThat(FecPlanner.stride(FecMode.percent(10), 0, 50 * MS, 150 * MS, 75, 8 * MS)).isEqualTo(8);
        assertThat(FecPlanner.stride(FecMode.percent(1), 0, 50 * MS, 150 * MS, 1, 0)).isEqualTo(1);
        assertThat(FecPlanner.stride(FecMode.percent(100), 0, 50 * MS, 150 * MS, 75, 0)).isEqualTo(75);
    }

    @Test
    void autoSendsNoParityBelowOneInAThousandLost() {
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.0009, 50 * MS, 20 * MS, 214, 2 * MS)).isZero();
        assertThat(FecPlanner.stride(FecMode.AUTO, 0, 50 * MS, 20 * MS, 214, 2 * MS)).isZero();
        assertThat(FecPlanner.stride(FecMode.AUTO, Double.NaN, 50 * MS, 20 * MS, 214, 2 * MS)).isZero();
    }

    @Test
    void aRetransmissionCanArriveWhenTheBudgetCoversOneAndAHalfRttsPlusSerialisation() {
        assertThat(FecPlanner.canRepair(50 * MS, 150 * MS, 8 * MS)).isTrue(); // 75 + 8 <= 150
        assertThat(FecPlanner.canRepair(50 * MS, 80 * MS, 8 * MS)).isFalse(); // 83 > 80
        assertThat(FecPlanner.canRepair(200 * MS, 150 * MS, 0)).isFalse();
    }

    @Test
    void withoutRepairAutoMeetsTheHalfPercentTargetWithTheLeastParity() {
        // 75 fragments (100 KB in 1,350-byte fragments) at 0.5% loss, 200 ms RTT, 150 ms budget
        int stride = FecPlanner.stride(FecMode.AUTO, 0.005, 200 * MS, 150 * MS, 75, 8 * MS);
        assertThat(stride).isEqualTo(32); // 43% overhead
        double modelled = 0.005 * FecPlanner.BURST_ALLOWANCE;
        assertThat(FecPlanner.frameFailureProbability(modelled, 75, stride)).isLessThanOrEqualTo(0.005);
        assertThat(FecPlanner.frameFailureProbability(modelled, 75, stride - 1)).isGreaterThan(0.005);
        // 8 fragments at 1%: two groups of four
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.01, 200 * MS, 150 * MS, 8, MS)).isEqualTo(2);
    }

    @Test
    void withoutRepairAndTheTargetOutOfReachAutoSpendsTheFiftyPercentCap() {
        // 75 fragments at 5%: even 37 groups leave about 35% of frames failing (modelled with bursts)
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.05, 200 * MS, 150 * MS, 75, 8 * MS)).isEqualTo(37);
        assertThat(FecPlanner.frameFailureProbability(0.05 * 1.25, 75, 37)).isCloseTo(0.348, within(0.001));
    }

    @Test
    void withRepairAutoKeepsParityNearTwiceTheLossRate() {
        // the scenario of issue 11: 75 fragments, 50 ms RTT, 150 ms budget
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.05, 50 * MS, 150 * MS, 75, 8 * MS)).isEqualTo(8); // 10.7%
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.01, 50 * MS, 150 * MS, 75, 8 * MS)).isEqualTo(2); // 2.7%
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.10, 50 * MS, 150 * MS, 75, 8 * MS)).isEqualTo(15); // 20%
        // 1080p-sized frames (214 fragments) at 5%
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.05, 50 * MS, 150 * MS, 214, 8 * MS)).isEqualTo(22);
    }

    @Test
    void withRepairAutoStopsAtTheTenPercentTargetWhenItCanBeMet() {
        // 8 fragments at 5%: one group of 8 + parity fails 10.5% modelled; limit ceil(0.8) = 1 stride
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.05, 50 * MS, 150 * MS, 8, MS)).isEqualTo(1);
        // 20 fragments at 2%: no parity fails 39.7%; one group of 20 fails 3.6%, under 10%: stride 1, not 2
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.02, 50 * MS, 150 * MS, 20, MS)).isEqualTo(1);
        // small frames need none: 2 fragments at 1% fail 2.5% without parity
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.01, 50 * MS, 150 * MS, 2, MS)).isZero();
    }

    @Test
    void aOneFragmentFrameGetsNoAutoParityBecauseItWouldDoubleIt() {
        assertThat(FecPlanner.stride(FecMode.AUTO, 0.1, 200 * MS, 10 * MS, 1, 0)).isZero();
    }

    @Test
    void autoParityNeverFallsAsLossRisesAndNeverExceedsHalfTheFragments() {
        for (int count : new int[] {1, 2, 3, 8, 30, 75, 214, 1_000, 65_536}) {
            for (boolean repair : new boolean[] {true, false}) {
                int previous = 0;
                for (int permille = 0; permille <= 300; permille++) {
                    int stride = FecPlanner.auto(permille / 1000.0, repair, count);
                    assertThat(stride).as("count %d loss %d/1000 repair %b", count, permille, repair)
                            .isGreaterThanOrEqualTo(previous).isBetween(0, Math.max(0, count / 2));
                    previous = stride;
                }
            }
        }
    }

    @Test
    void theSearchFindsTheSameStrideAsTryingEveryOne() {
        for (int count : new int[] {3, 10, 75, 214, 700}) {
            for (double loss : new double[] {0.002, 0.005, 0.01, 0.02}) {
                double modelled = loss * FecPlanner.BURST_ALLOWANCE;
                int linear = count / 2;
                if (FecPlanner.frameFailureProbability(modelled, count, 0) <= 0.005) {
                    linear = 0;
                } else {
                    for (int g = 1; g <= count / 2; g++) {
                        if (FecPlanner.frameFailureProbability(modelled, count, g) <= 0.005) {
                            linear = g;
                            break;
                        }
                    }
                }
                assertThat(FecPlanner.auto(loss, false, count)).as("count %d loss %f", count, loss)
                        .isEqualTo(linear);
            }
        }
    }

    @Test
    void theFailureModelMatchesTheBinomialByHand() {
        // no parity: 1 - 0.95^75
        assertThat(FecPlanner.frameFailureProbability(0.05, 75, 0)).isCloseTo(1 - Math.pow(0.95, 75), within(1e-12));
        // one group of 3 fragments + parity = 4 packets: 1 - q^4 - 4 p q^3
        double p = 0.05;
        double q = 0.95;
        double group = 1 - Math.pow(q, 4) - 4 * p * Math.pow(q, 3);
        assertThat(FecPlanner.frameFailureProbability(p, 3, 1)).isCloseTo(group, within(1e-12));
        // 7 fragments, stride 3: groups of 3, 2, 2 (4, 3, 3 packets)
        double g3 = 1 - Math.pow(q, 3) - 3 * p * Math.pow(q, 2);
        assertThat(FecPlanner.frameFailureProbability(p, 7, 3))
                .isCloseTo(1 - (1 - group) * (1 - g3) * (1 - g3), within(1e-12));
    }
}
