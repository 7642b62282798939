package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A provider (registered for this module's tests only) that is present but never available, as a native driver on
 * a kernel too old for it.
 */
public final class UnavailableToyProvider implements DriverProvider {
    @Override
    public String kind() {
        return "toy";
    }

    @Override
    public int preference() {
        return 1_000;
    }

    @Override
    public Throwable unavailabilityCause() {
        return new UnsupportedOperationException("toy: needs Linux 5.9 or later");
    }

    @Override
    public Driver<SansIoEndpoint> start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) {
        throw new AssertionError("an unavailable provider must never be started");
    }
}
