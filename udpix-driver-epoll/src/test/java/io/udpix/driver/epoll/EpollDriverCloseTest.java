package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.driver.EchoEndpoint;
import io.udpix.driver.LockstepClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EpollDriverCloseTest {

    @BeforeEach
    void skipWithoutEpoll() {
        Loopback.assumeEpoll();
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        EpollDriver driver = Loopback.start(new EchoEndpoint());
        driver.close();
        driver.close();

        assertThat(driver.loopThread().isAlive()).isFalse();
    }

    @Test
    void closeFromTheLoopThreadEndsTheLoopWithoutWaitingForItself() throws Exception {
        EpollDriver driver = Loopback.start(new EchoEndpoint());
        driver.execute(endpoint -> driver.close());

        driver.loopThread().join(TimeUnit.SECONDS.toMillis(30));
        assertThat(driver.loopThread().isAlive()).isFalse();
    }

    @Test
    void anInterruptFromACommandDoesNotCloseTheSocket() throws Exception {
        try (EpollDriver driver = Loopback.start(new EchoEndpoint());
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            driver.execute(endpoint -> Thread.currentThread().interrupt());

            assertThat(client.roundTrip(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
            assertThat(driver.loopThread().isAlive()).isTrue();
        }
    }
}
