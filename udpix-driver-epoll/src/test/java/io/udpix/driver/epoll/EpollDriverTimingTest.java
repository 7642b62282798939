package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.driver.TickingEndpoint;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EpollDriverTimingTest {

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
