package io.udpix.driver.epoll;

import io.udpix.driver.Driver;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.Transport;
import io.udpix.driver.TransportContractTest;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** The transport contract, run on the epoll driver (GSO on send where the kernel has it). */
class EpollTransportContractTest extends TransportContractTest {
    @Override
    protected String kind() {
        return EpollDriver.KIND;
    }

    @Override
    protected Driver<SansIoEndpoint> start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        return EpollDriver.start(endpoint, bind, options, events);
    }

    @Override
    protected Transport openTransport(InetSocketAddress bind, DriverOptions options, DriverMetrics counters)
            throws IOException {
        return EpollSockets.open(bind, options, EpollTuning.defaults(), null, () -> counters);
    }

    @Override
    protected boolean batchesSends() {
        return EpollDriver.isGsoSupported();
    }
}
