package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DelayHistogramTest {

    @Test
    void percentilesAreWithinOneSixtyFourthOfTheExactValue() {
        long seed = Seeds.seedOrRandom();
        SimRandom r = new SimRandom(seed);
        DelayHistogram h = new DelayHistogram();
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) r.nextLogUniform(1, 1e12);
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat((double) h.percentile(q)).as("q=%s %s", q, Seeds.describe(seed))
                    .isBetween((double) exact, exact * (1 + 1.0 / 64) + 1);
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat(h.maxNs()).isEqualTo(values[values.length - 1]);
        assertThat(h.minNs()).isEqualTo(values[0]);
    }

    @Test
    void smallValuesAreExact() {
        DelayHistogram h = new DelayHistogram();
        for (int i = 0; i < 100; i++) {
            h.record(i);
        }
        assertThat(h.percentile(0.5)).isEqualTo(49);
        assertThat(h.percentile(0.95)).isEqualTo(94);
        assertThat(h.percentile(0)).isZero();
        assertThat(h.meanNs()).isEqualTo(49.5);
    }

    @Test
    void anEmptyHistogramReportsZero() {
        DelayHistogram h = new DelayHistogram();
        assertThat(h.percentile(0.95)).isZero();
        assertThat(h.toString()).isEqualTo("{no samples}");
    }

    @Test
    void everyBucketBoundaryMapsBackToItsBucket() {
        for (int shift = 0; shift < 63; shift++) {
            for (long v : new long[] {1L << shift, (1L << shift) - 1, (1L << shift) + 1}) {
                if (v < 0) {
                    continue;
                }
                int index = DelayHistogram.index(v);
                assertThat(DelayHistogram.upperBound(index)).as("v=%d", v).isGreaterThanOrEqualTo(v);
                assertThat(DelayHistogram.index(DelayHistogram.upperBound(index))).isEqualTo(index);
            }
        }
        assertThat(DelayHistogram.index(Long.MAX_VALUE)).isLessThan(3_712);
    }
}
