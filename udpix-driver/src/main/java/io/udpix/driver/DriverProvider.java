package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A driver implementation found through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.udpix.driver.DriverProvider}), so this module needs no native library to offer one.
 * Implementations must be public with a public no-argument constructor and cheap to construct.
 */
public interface DriverProvider {

    /** The name {@link Drivers#start} knows it by, such as {@code "epoll"}; lower case. */
    String kind();

    /** Rank for {@code auto}: the available provider with the highest value wins over the others and NIO. */
    int preference();

    /**
     * Why this driver cannot run here (no native library, not Linux, too old a kernel), or {@code null} when it
     * can. Must not throw.
     */
    Throwable unavailabilityCause();

    /** Binds {@code bind} and starts the driver; same contract as {@link NioDriver#start}. */
    Driver<SansIoEndpoint> start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException;
}
