package io.udpix.driver.epoll;

import io.udpix.driver.Driver;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.DriverProvider;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** Offers {@link EpollDriver} to {@link io.udpix.driver.Drivers} as kind {@code epoll} (ServiceLoader entry). */
public final class EpollDriverProvider implements DriverProvider {
    /** Above NIO's implicit 0; an io_uring driver, when there is one, may rank higher. */
    static final int PREFERENCE = 10;

    static {
        NettyDefaults.apply(); // before any Netty class initialises (this class names none)
    }

    /** For ServiceLoader. */
    public EpollDriverProvider() {}

    @Override
    public String kind() {
        return EpollDriver.KIND;
    }

    @Override
    public int preference() {
        return PREFERENCE;
    }

    @Override
    public Throwable unavailabilityCause() {
        return EpollDriver.unavailabilityCause();
    }

    @Override
    public Driver<SansIoEndpoint> start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        return EpollDriver.start(endpoint, bind, options, events);
    }
}
