package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void reportsPercentilesWithinOnePercentFromNanosecondsToAMinute() {
        long seed = TestSeeds.seed();
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            LatencyHistogram h = new LatencyHistogram();
            int n = 1 + random.nextInt(2_000);
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                // log-uniform from 1 ns to 60 s
                values[i] = (long) Math.exp(random.nextDouble() * Math.log(60e9));
                h.record(values[i]);
            }
            Arrays.sort(values);
            for (double percent : new double[] {1, 50, 90, 99, 100}) {
                long exact = values[(int) Math.max(0, Math.ceil(n * percent / 100) - 1)];
                long got = h.percentileNs(percent);
                assertThat((double) Math.abs(got - exact)).as("p%s of %d values %s", percent, n,
                        TestSeeds.replay(seed)).isLessThanOrEqualTo(Math.max(0.5, exact * 0.01));
            }
            assertThat(h.maxNs()).isEqualTo(values[n - 1]);
            assertThat(h.count()).isEqualTo(n);
        }
    }

    @Test
    void everyValueUpToAMinuteLandsInABucketWhoseMidpointIsWithinOnePercent() {
        for (long v = 0; v < 60_000_000_000L; v = v < 1_000 ? v + 1 : v + v / 997) {
            long mid = LatencyHistogram.midpoint(LatencyHistogram.index(v));
            assertThat((double) Math.abs(mid - v)).as("value %d", v).isLessThanOrEqualTo(Math.max(0.5, v * 0.01));
        }
    }

    @Test
    void p50AndP99OfAKnownDistribution() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            h.record(ms * 1_000_000L);
        }
        assertThat(h.p50Ns()).isCloseTo(50_000_000L, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(h.p99Ns()).isCloseTo(99_000_000L, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(h.maxNs()).isEqualTo(100_000_000L);
    }

    @Test
    void valuesBeyondTheRangeKeepAnExactMaximumAndNegativesCountAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(3_600_000_000_000L);
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.percentileNs(50)).isZero();
        assertThat(h.maxNs()).isEqualTo(3_600_000_000_000L);
        assertThat(h.percentileNs(100)).isLessThanOrEqualTo(3_600_000_000_000L).isGreaterThan(60_000_000_000L);
    }

    @Test
    void isEmptyAfterAReset() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.p50Ns()).isZero();
        h.record(1_000);
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.p99Ns()).isZero();
        assertThat(h.maxNs()).isZero();
        h.record(2_000);
        assertThat(h.p50Ns()).isCloseTo(2_000L, org.assertj.core.data.Percentage.withPercentage(1));
    }
}
