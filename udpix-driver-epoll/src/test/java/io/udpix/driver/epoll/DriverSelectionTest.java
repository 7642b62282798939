package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.udpix.driver.Driver;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.Drivers;
import io.udpix.driver.EchoEndpoint;
import io.udpix.driver.LockstepClient;
import io.udpix.driver.NioDriver;
import org.junit.jupiter.api.Test;

class DriverSelectionTest {

    @Test
    void autoPicksEpollOnLinuxWhenNothingOverridesIt() throws Exception {
        Loopback.assumeEpoll();
        String override = System.getProperty(Drivers.PROPERTY, "").trim();
        assumeTrue(override.isEmpty() || override.equals("auto"), "-Dudpix.driver=" + override + " overrides auto");

        // A wildcard bind: on a loopback address auto prefers NIO (see the next test).
        try (Driver<?> driver = Drivers.start("auto", new EchoEndpoint(), new java.net.InetSocketAddress("0.0.0.0", 0),
                DriverOptions.defaults(), e -> { });
                LockstepClient client = new LockstepClient(
                        new java.net.InetSocketAddress("127.0.0.1", driver.localAddress().getPort()))) {
            assertThat(driver).isInstanceOf(EpollDriver.class);
            assertThat(driver.kind()).isEqualTo("epoll");
            assertThat(client.roundTrip(new byte[] {4, 5, 6})).containsExactly(4, 5, 6);
        }
    }

    @Test
    void autoUsesNioOnALoopbackAddressWhereItMeasuredFaster() throws Exception {
        String override = System.getProperty(Drivers.PROPERTY, "").trim();
        assumeTrue(override.isEmpty() || override.equals("auto"), "-Dudpix.driver=" + override + " overrides auto");
        try (Driver<?> driver = Drivers.start("auto", new EchoEndpoint(), Loopback.anyPort(), DriverOptions.defaults(),
                e -> { })) {
            assertThat(driver).isInstanceOf(NioDriver.class);
        }
    }

    @Test
    void nioWhenForcedEvenWhereEpollRuns() throws Exception {
        try (Driver<?> driver = Drivers.start("nio", new EchoEndpoint(), Loopback.anyPort(), DriverOptions.defaults(),
                e -> { })) {
            assertThat(driver).isInstanceOf(NioDriver.class);
        }
    }

    @Test
    void epollWhenForced() throws Exception {
        Loopback.assumeEpoll();
        try (Driver<?> driver = Drivers.start("epoll", new EchoEndpoint(), Loopback.anyPort(), DriverOptions.defaults(),
                e -> { })) {
            assertThat(driver).isInstanceOf(EpollDriver.class);
        }
    }
}
