package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Starts drivers on 127.0.0.1 with a kernel-chosen port, the only network the tests use. */
final class Loopback {
    private Loopback() {}

    static InetSocketAddress anyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static NioDriver start(SansIoEndpoint endpoint) throws IOException {
        return NioDriver.start(endpoint, anyPort(), DriverOptions.defaults(), event -> { });
    }

    /**
     * The driver's counters read on its own loop thread: everything the loop did before the call is counted (a
     * peer can see a datagram before the loop's pass that sent it has published its counters).
     */
    static DriverStats settledStats(NioDriver driver) throws Exception {
        return driver.call(endpoint -> driver.stats()).get(30, TimeUnit.SECONDS);
    }

    static NioDriver start(SansIoEndpoint endpoint, DriverOptions options) throws IOException {
        return NioDriver.start(endpoint, anyPort(), options, event -> { });
    }
}
