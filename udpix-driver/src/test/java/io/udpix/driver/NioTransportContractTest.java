package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** The transport contract, run on the NIO driver. */
class NioTransportContractTest extends TransportContractTest {
    @Override
    protected String kind() {
        return NioDriver.KIND;
    }

    @Override
    protected Driver<SansIoEndpoint> start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        return NioDriver.start(endpoint, bind, options, events);
    }

    @Override
    protected Transport openTransport(InetSocketAddress bind, DriverOptions options, DriverMetrics counters)
            throws IOException {
        return NioTransport.open(bind, options, java.nio.channels.DatagramChannel::send, () -> counters);
    }
}
