package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The random-loss floor on hand-made rounds of 1000-byte packets, RTprop 100 ms. */
class RandomLossFloorTest {
    private static final long MS = 1_000_000L;
    private static final long RTPROP_NS = 100 * MS;
    private static final int PACKET_BYTES = 1000;

    private long round;

    /** One round of {@code packets} packets of which {@code lost} were lost, its lowest RTT {@code minRttNs}. */
    private void round(RandomLossFloor floor, int packets, int lost, long minRttNs) {
        for (int i = 0; i < packets; i++) {
            if (i < lost) {
                floor.onLost(PACKET_BYTES);
            } else {
                floor.onAcked(PACKET_BYTES);
            }
        }
        floor.onRttSample(minRttNs + 7 * MS);
        floor.onRttSample(minRttNs);
        floor.onRoundEnd(++round, RTPROP_NS, PACKET_BYTES);
    }

    @Test
    void aPathThatLosesTheSameShareEveryRoundHasThatFloor() {
        RandomLossFloor floor = new RandomLossFloor();
        assertThat(floor.floor()).isZero();
        for (int i = 0; i < 12; i++) {
            round(floor, 200, 10, RTPROP_NS);
        }
        assertThat(floor.floor()).isCloseTo(0.05, within(1e-6));
        assertThat(floor.compensation()).isCloseTo(1 / 0.95, within(1e-6));
    }

    @Test
    void theFloorIsTheLowestRoundInTheWindow() {
        RandomLossFloor floor = new RandomLossFloor();
        int[] lost = {15, 12, 8, 10, 11, 9, 14, 10, 12, 9, 13}; // the first round pushes out the reset's 0
        for (int l : lost) {
            round(floor, 200, l, RTPROP_NS);
        }
        assertThat(floor.floor()).isCloseTo(0.04, within(1e-6));
    }

    @Test
    void oneLossFreeRoundMeansNoFloorUntilItLeavesTheWindow() {
        RandomLossFloor floor = new RandomLossFloor();
        for (int i = 0; i < 10; i++) {
            round(floor, 200, 10, RTPROP_NS);
        }
        round(floor, 200, 0, RTPROP_NS); // a probe-down round of a congestion-only path: no loss at all
        int zeroRounds = 1;
        while (floor.floor() == 0 && zeroRounds < 100) {
            round(floor, 200, 10, RTPROP_NS);
            zeroRounds++;
        }
        // The loss-free round holds the floor at 0 for the window (the longest PROBE_BW gain cycle), then ages out.
        assertThat(zeroRounds).isBetween(RandomLossFloor.WINDOW_ROUNDS, RandomLossFloor.WINDOW_ROUNDS + 2);
        assertThat(floor.floor()).isCloseTo(0.05, within(1e-6));
    }

    @Test
    void aRoundThatSawAQueueCountsAsLossFree() {
        RandomLossFloor floor = new RandomLossFloor();
        for (int i = 0; i < 12; i++) {
            // Every sample at least 1.3 x RTprop: a standing queue, whose drops are congestion.
            round(floor, 200, 10, 130 * MS);
        }
        assertThat(floor.floor()).isZero();
        // A queue that drains within the round (its lowest RTT back near RTprop) says nothing against random loss.
        for (int i = 0; i < 12; i++) {
            round(floor, 200, 10, 120 * MS);
        }
        assertThat(floor.floor()).isCloseTo(0.05, within(1e-6));
    }

    @Test
    void roundsTooSmallToMeasureAPercentAreSkipped() {
        RandomLossFloor floor = new RandomLossFloor();
        for (int i = 0; i < 12; i++) {
            round(floor, 200, 10, RTPROP_NS);
        }
        for (int i = 0; i < 5; i++) {
            round(floor, RandomLossFloor.MIN_PACKETS_PER_ROUND - 1, 0, RTPROP_NS);
        }
        assertThat(floor.floor()).isCloseTo(0.05, within(1e-6));
    }

    @Test
    void nothingIsMeasuredBeforeThereIsAPropagationRtt() {
        RandomLossFloor floor = new RandomLossFloor();
        for (int i = 0; i < 12; i++) {
            for (int p = 0; p < 200; p++) {
                floor.onLost(PACKET_BYTES);
            }
            floor.onRoundEnd(++round, Long.MAX_VALUE, PACKET_BYTES);
        }
        assertThat(floor.floor()).isZero();
    }

    @Test
    void theFloorIsCappedSoTheRateIsNeverMoreThanAProbeAboveTheDeliveryRate() {
        RandomLossFloor floor = new RandomLossFloor();
        for (int i = 0; i < 12; i++) {
            round(floor, 200, 100, RTPROP_NS);
        }
        assertThat(floor.floor()).isEqualTo(RandomLossFloor.MAX_FLOOR);
        assertThat(floor.compensation()).isCloseTo(1.25, within(1e-9));
    }

    @Test
    void resetForgetsTheFloor() {
        RandomLossFloor floor = new RandomLossFloor();
        for (int i = 0; i < 12; i++) {
            round(floor, 200, 10, RTPROP_NS);
        }
        floor.reset(round);
        assertThat(floor.floor()).isZero();
        round(floor, 200, 10, RTPROP_NS);
        assertThat(floor.floor()).as("one lossy round after a reset: the reset's 0 is still in the window").isZero();
    }
}
