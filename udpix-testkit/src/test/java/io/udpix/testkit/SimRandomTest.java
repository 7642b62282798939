package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimRandomTest {

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        SimRandom a = new SimRandom(7);
        SimRandom b = new SimRandom(7);
        SimRandom c = new SimRandom(8);
        int differences = 0;
        for (int i = 0; i < 1_000; i++) {
            long x = a.nextLong();
            assertThat(b.nextLong()).isEqualTo(x);
            differences += c.nextLong() != x ? 1 : 0;
        }
        assertThat(differences).isEqualTo(1_000);
    }

    @Test
    void theStreamIsFixedByTheAlgorithmNotTheJdk() {
        // xoshiro256** seeded by SplitMix64 from 0: pins the output so traces replay on any Java version.
        SimRandom r = new SimRandom(0);
        long first = r.nextLong();
        SimRandom again = new SimRandom(0);
        assertThat(again.nextLong()).isEqualTo(first);
        assertThat(first).isEqualTo(expectedFirstOutputForSeedZero());
    }

    /** Recomputes the first output by hand from the published algorithms. */
    private static long expectedFirstOutputForSeedZero() {
        long gamma = 0x9E3779B97F4A7C15L;
        long s1 = SimRandom.mix64(2 * gamma);
        return Long.rotateLeft(s1 * 5, 7) * 9;
    }

    @Test
    void boundedDrawsStayInRangeAndCoverIt() {
        long seed = Seeds.seedOrRandom();
        SimRandom r = new SimRandom(seed);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertThat(c).as(Seeds.describe(seed)).isBetween(9_000, 11_000);
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(r.nextLong(5, 9)).isBetween(5L, 8L);
            assertThat(r.nextDouble()).isBetween(0.0, 1.0).isNotEqualTo(1.0);
            assertThat(r.nextLogUniform(3, 3_000)).isBetween(3.0, 3_000.0);
        }
    }

    @Test
    void chanceMatchesItsProbability() {
        SimRandom r = new SimRandom(99);
        int hits = 0;
        for (int i = 0; i < 100_000; i++) {
            hits += r.chance(0.3) ? 1 : 0;
        }
        assertThat(hits).isBetween(29_000, 31_000);
        assertThat(r.chance(0)).isFalse();
        assertThat(r.chance(1)).isTrue();
    }

    @Test
    void derivedStreamsDiffer() {
        assertThat(SimRandom.derive(1, 0)).isNotEqualTo(SimRandom.derive(1, 1)).isNotEqualTo(SimRandom.derive(2, 0));
    }
}
