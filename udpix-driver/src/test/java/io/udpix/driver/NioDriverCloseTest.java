package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NioDriverCloseTest {

    @Test
    void closingTwiceIsHarmless() throws Exception {
        NioDriver driver = Loopback.start(new EchoEndpoint());
        driver.close();
        driver.close();

        assertThat(driver.loopThread().isAlive()).isFalse();
    }

    @Test
    void closeFromTheLoopThreadEndsTheLoopWithoutWaitingForItself() throws Exception {
        NioDriver driver = Loopback.start(new EchoEndpoint());
        driver.execute(endpoint -> driver.close());

        driver.loopThread().join(TimeUnit.SECONDS.toMillis(30));
        assertThat(driver.loopThread().isAlive()).isFalse();
    }

    @Test
    void anInterruptFromACommandDoesNotCloseTheSocket() throws Exception {
        try (NioDriver driver = Loopback.start(new EchoEndpoint());
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            driver.execute(endpoint -> Thread.currentThread().interrupt());

            assertThat(client.roundTrip(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
            assertThat(driver.loopThread().isAlive()).isTrue();
        }
    }
}
