package io.udpix.driver.epoll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.udpix.driver.DriverOptions;
import io.udpix.driver.DriverStats;
import io.udpix.engine.SansIoEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Starts epoll drivers on 127.0.0.1 with a kernel-chosen port, the only network the tests use; skips the test
 * (an assumption, not a failure) where epoll cannot run.
 */
final class Loopback {
    private Loopback() {}

    static void assumeEpoll() {
        Throwable cause = EpollDriver.unavailabilityCause();
        assumeTrue(cause == null, () -> "epoll is not available here: " + cause);
    }

    static InetSocketAddress anyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static EpollDriver start(SansIoEndpoint endpoint) throws IOException {
        return start(endpoint, DriverOptions.defaults());
    }

    static EpollDriver start(SansIoEndpoint endpoint, DriverOptions options) throws IOException {
        return start(endpoint, options, EpollTuning.defaults());
    }

    static EpollDriver start(SansIoEndpoint endpoint, DriverOptions options, EpollTuning tuning) throws IOException {
        assumeEpoll();
        return EpollDriver.start(endpoint, anyPort(), options, event -> { }, tuning);
    }

    /**
     * The driver's counters read on its own loop thread: everything the loop did before the call is counted (a
     * peer can see a datagram before the pass that sent it has published its counters).
     */
    static DriverStats settledStats(EpollDriver driver) throws Exception {
        return driver.call(endpoint -> driver.stats()).get(30, TimeUnit.SECONDS);
    }

    static EpollStats settledEpollStats(EpollDriver driver) throws Exception {
        return driver.call(endpoint -> driver.epollStats()).get(30, TimeUnit.SECONDS);
    }
}
