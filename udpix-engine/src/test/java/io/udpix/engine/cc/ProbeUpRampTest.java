package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProbeUpRampTest {
    private static final long MS = 1_000_000L;
    private static final long RTPROP_NS = 50 * MS;

    /** One probe from {@code bw} whose rounds show {@code grownBw}, RTT at RTprop; returns whether it found room. */
    private static boolean probe(ProbeUpRamp ramp, long grownBw) {
        ramp.onRttSample(RTPROP_NS);
        return ramp.onRoundEnd(grownBw, RTPROP_NS, false);
    }

    @Test
    void withoutASuspectExitEveryProbeIsBbrsQuarter() {
        ProbeUpRamp ramp = new ProbeUpRamp();
        ramp.onStartupExit(false);
        assertThat(ramp.onProbeStart(1_000_000)).isEqualTo(1.25);
        assertThat(probe(ramp, 2_000_000)).isFalse();
        assertThat(ramp.onProbeStart(2_000_000)).isEqualTo(1.25);
    }

    @Test
    void afterASuspectExitEachProbeThatFindsRoomDoublesTheStepUpToStartupsGain() {
        ProbeUpRamp ramp = new ProbeUpRamp();
        ramp.onStartupExit(true);
        long bw = 1_000_000;
        assertThat(ramp.onProbeStart(bw)).isEqualTo(1.25);
        double[] expected = {1.5, 2.0, Bbr.STARTUP_GAIN, Bbr.STARTUP_GAIN};
        for (double gain : expected) {
            bw = bw * 5 / 4;
            assertThat(probe(ramp, bw)).as("a probe that raised the estimate by 25% found room").isTrue();
            assertThat(ramp.onProbeStart(bw)).isCloseTo(gain, within(1e-9));
        }
        assertThat(ramp.armed()).isTrue();
    }

    @Test
    void aProbeThatFindsNoRoomInThreeRoundsEndsTheRampForGood() {
        ProbeUpRamp ramp = new ProbeUpRamp();
        ramp.onStartupExit(true);
        ramp.onProbeStart(1_000_000);
        assertThat(probe(ramp, 1_050_000)).isFalse();
        assertThat(probe(ramp, 1_050_000)).isFalse();
        assertThat(ramp.armed()).isTrue();
        assertThat(probe(ramp, 1_050_000)).isFalse();
        assertThat(ramp.armed()).isFalse();
        assertThat(ramp.onProbeStart(1_050_000)).isEqualTo(1.25);
        assertThat(probe(ramp, 2_000_000)).isFalse();
    }

    @Test
    void aQueueEndsTheRampEvenWhenTheEstimateGrew() {
        ProbeUpRamp ramp = new ProbeUpRamp();
        ramp.onStartupExit(true);
        ramp.onProbeStart(1_000_000);
        ramp.onRttSample(70 * MS); // the round's lowest RTT 1.4 x RTprop: a queue
        assertThat(ramp.onRoundEnd(1_250_000, RTPROP_NS, false)).isFalse();
        assertThat(ramp.armed()).isFalse();
    }

    @Test
    void roundsAPauseSpoiledShowNeitherRoomNorItsAbsence() {
        ProbeUpRamp ramp = new ProbeUpRamp();
        ramp.onStartupExit(true);
        ramp.onProbeStart(1_000_000);
        for (int i = 0; i < 5; i++) {
            assertThat(ramp.onRoundEnd(900_000, RTPROP_NS, true)).isFalse();
        }
        assertThat(ramp.armed()).isTrue();
        assertThat(probe(ramp, 1_250_000)).isTrue();
    }
}
