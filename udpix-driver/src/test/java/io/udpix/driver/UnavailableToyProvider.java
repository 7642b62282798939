package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** A provider (registered for this module's tests only) that is never available, as io_uring on an old kernel. */
public final class UnavailableToyProvider implements DriverProvider {
    @Override
    public String kind() {
        return "io_uring";
    }

    @Override
    public int preference() {
        return 1_000;
    }

    @Override
    public Throwable unavailabilityCause() {
        return new UnsupportedOperationException("toy: io_uring needs Linux 5.9 or later");
    }

    @Override
    public Driver<SansIoEndpoint> start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) {
        throw new AssertionError("an unavailable provider must never be started");
    }
}
