package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NioDriverTimingTest {

    @Test
    void anIdleDriverSleepsInTheSelectorAndBurnsNoCpu() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (NioDriver driver = Loopback.start(new EchoEndpoint())) {
            driver.call(endpoint -> null).get(30, TimeUnit.SECONDS); // the loop has started and settled
            long threadId = driver.loopThread().getId();
            long iterationsBefore = driver.stats().loopIterations();
            long cpuBeforeNs = threads.getThreadCpuTime(threadId);

            Thread.sleep(1_000);

            long iterations = driver.stats().loopIterations() - iterationsBefore;
            long cpuNs = threads.getThreadCpuTime(threadId) - cpuBeforeNs;
            assertThat(iterations).as("loop passes during 1 s of idleness").isLessThanOrEqualTo(2);
            assertThat(cpuNs).as("loop thread CPU ns during 1 s of idleness").isLessThan(20_000_000L);
        }
    }

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
