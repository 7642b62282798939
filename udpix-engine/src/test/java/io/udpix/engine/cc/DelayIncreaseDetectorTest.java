package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DelayIncreaseDetectorTest {
    private static final long MS = 1_000_000L;

    @Test
    void seesAQueueOnlyWhenEveryRttOfTheRoundStandsAboveThreshold() {
        DelayIncreaseDetector d = new DelayIncreaseDetector();
        for (int i = 0; i < 8; i++) {
            d.onRttSample(57 * MS);
        }
        // RTprop 50 ms: eta = 6.25 ms, so 57 ms is above 56.25 ms.
        assertThat(d.increaseSeen(50 * MS)).isTrue();
        d.onRttSample(55 * MS);
        assertThat(d.increaseSeen(50 * MS)).isFalse();
    }

    @Test
    void needsEightSamplesAndForgetsThemAtEachRound() {
        DelayIncreaseDetector d = new DelayIncreaseDetector();
        for (int i = 0; i < 7; i++) {
            d.onRttSample(90 * MS);
        }
        assertThat(d.increaseSeen(50 * MS)).isFalse();
        d.onRttSample(90 * MS);
        assertThat(d.increaseSeen(50 * MS)).isTrue();
        d.onRoundStart();
        assertThat(d.increaseSeen(50 * MS)).isFalse();
        assertThat(d.increaseSeen(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void clampsTheThresholdBetweenFourAndSixteenMilliseconds() {
        DelayIncreaseDetector shortPath = new DelayIncreaseDetector();
        DelayIncreaseDetector longPath = new DelayIncreaseDetector();
        for (int i = 0; i < 8; i++) {
            shortPath.onRttSample(13 * MS);   // RTprop 10 ms: eta 4 ms (not 1.25), so 13 ms is no queue
            longPath.onRttSample(215 * MS);   // RTprop 200 ms: eta 16 ms (not 25), so 215 ms is no queue
        }
        assertThat(shortPath.increaseSeen(10 * MS)).isFalse();
        assertThat(longPath.increaseSeen(200 * MS)).isFalse();
        longPath.onRttSample(217 * MS);
        assertThat(longPath.increaseSeen(200 * MS)).isFalse();
    }

    @Test
    void judgesRoundsOfFewSamplesTogetherBackUntilEightSamples() {
        DelayIncreaseDetector d = new DelayIncreaseDetector();
        // Rounds of three jumbo datagrams' ACKs: 60 ms on a 17 ms RTprop is a queue, but no round has 8 samples.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                d.onRttSample(60 * MS);
            }
            assertThat(d.increaseSeen(17 * MS)).as("round %d", round).isFalse();
            d.onRoundStart();
        }
        d.onRttSample(60 * MS);
        assertThat(d.increaseSeen(17 * MS)).as("7 samples over three rounds").isFalse();
        d.onRttSample(60 * MS);
        assertThat(d.increaseSeen(17 * MS)).as("8 samples over three rounds").isTrue();
        // One low sample among the rounds judged is no queue.
        d.onRoundStart();
        d.onRttSample(18 * MS);
        d.onRoundStart();
        for (int i = 0; i < 3; i++) {
            d.onRttSample(60 * MS);
        }
        assertThat(d.increaseSeen(17 * MS)).isFalse();
        // A restart of the model forgets the earlier rounds.
        d.reset();
        d.onRttSample(60 * MS);
        assertThat(d.increaseSeen(17 * MS)).isFalse();
    }
}
