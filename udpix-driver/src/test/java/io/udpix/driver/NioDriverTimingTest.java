package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NioDriverTimingTest {

    @Test
    void timersRunNoEarlierThanTheirDeadlineAndWakeTheLoopAboutOncePerDeadline() throws Exception {
        long periodNs = TimeUnit.MILLISECONDS.toNanos(20);
        int ticks = 15;
        TickingEndpoint ticking = new TickingEndpoint(periodNs, ticks, System.nanoTime() + periodNs);
        try (NioDriver driver = Loopback.start(ticking)) {
            assertThat(ticking.remaining().await(30, TimeUnit.SECONDS)).as("all ticks ran").isTrue();

            assertThat(driver.call(endpoint -> ticking.earlyCalls()).get()).as("handleTimeout before deadline")
                    .isZero();
            // Waits are whole milliseconds rounded up, and a deadline under 1 ms away is polled: a few passes
            // per tick at most, never a spin through the 20 ms gaps.
            assertThat(driver.stats().loopIterations()).isLessThanOrEqualTo(ticks * 4L + 4);
        }
    }

    @Test
    void withoutASpinThresholdTheLoopNeverPollsAheadOfADeadline() throws Exception {
        long periodNs = TimeUnit.MILLISECONDS.toNanos(3);
        int ticks = 30;
        TickingEndpoint ticking = new TickingEndpoint(periodNs, ticks, System.nanoTime() + periodNs);
        try (NioDriver driver = Loopback.start(ticking, DriverOptions.defaults().withSpinThresholdNs(0))) {
            assertThat(ticking.remaining().await(30, TimeUnit.SECONDS)).as("all ticks ran").isTrue();

            assertThat(driver.call(endpoint -> ticking.earlyCalls()).get()).isZero();
            assertThat(driver.stats().loopIterations()).isLessThanOrEqualTo(ticks * 3L + 4);
        }
    }
}
