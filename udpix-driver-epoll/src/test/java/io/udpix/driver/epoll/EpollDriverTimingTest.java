package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.driver.EchoEndpoint;
import io.udpix.driver.TickingEndpoint;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EpollDriverTimingTest {

    @Test
    void anIdleDriverSleepsInEpollWaitAndBurnsNoCpu() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (EpollDriver driver = Loopback.start(new EchoEndpoint())) {
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
        long periodNs = TimeUnit.MILLISECONDS.toNanos(3);
        int ticks = 40;
        TickingEndpoint ticking = new TickingEndpoint(periodNs, ticks, System.nanoTime() + periodNs);
        try (EpollDriver driver = Loopback.start(ticking)) {
            assertThat(ticking.remaining().await(30, TimeUnit.SECONDS)).as("all ticks ran").isTrue();

            assertThat(driver.call(endpoint -> ticking.earlyCalls()).get()).as("handleTimeout before deadline")
                    .isZero();
            // Netty sleeps on a timerfd until the deadline: one pass per tick, plus the start and the calls.
            assertThat(driver.stats().loopIterations()).isLessThanOrEqualTo(ticks + 4L);
        }
    }
}
