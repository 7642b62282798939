package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowedMaxFilterTest {

    @Test
    void keepsTheLargestSampleWhileItIsInsideTheWindow() {
        WindowedMaxFilter filter = new WindowedMaxFilter(10);
        filter.update(0, 100);
        for (int t = 1; t <= 10; t++) {
            assertThat(filter.update(t, 50)).isEqualTo(100);
        }
    }

    @Test
    void forgetsTheLargestSampleOnceItLeavesTheWindow() {
        WindowedMaxFilter filter = new WindowedMaxFilter(10);
        filter.update(0, 100);
        for (int t = 1; t <= 10; t++) {
            filter.update(t, 50);
        }
        assertThat(filter.update(11, 40)).isEqualTo(50);
    }

    @Test
    void aNewMaximumReplacesEverything() {
        WindowedMaxFilter filter = new WindowedMaxFilter(10);
        filter.update(0, 100);
        assertThat(filter.update(3, 200)).isEqualTo(200);
        assertThat(filter.max()).isEqualTo(200);
    }

    @Test
    void agreesWithABruteForceWindowedMaximumWithinItsKnownApproximation() {
        long seed = TestSeeds.seed();
        SplittableRandom random = new SplittableRandom(seed);
        WindowedMaxFilter filter = new WindowedMaxFilter(10);
        long[] values = new long[400];
        for (int t = 0; t < values.length; t++) {
            values[t] = random.nextLong(1000);
            long estimate = filter.update(t, values[t]);
            long exact = 0;
            for (int u = Math.max(0, t - 10); u <= t; u++) {
                exact = Math.max(exact, values[u]);
            }
            // Three samples cannot represent every window: the estimate is a sample from the window (never
            // larger than the true maximum) and at least the newest sample.
            assertThat(estimate).as("t=%d seed=%d", t, seed).isLessThanOrEqualTo(exact).isGreaterThanOrEqualTo(values[t]);
        }
    }

    @Test
    void rejectsANonPositiveWindow() {
        assertThatThrownBy(() -> new WindowedMaxFilter(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
