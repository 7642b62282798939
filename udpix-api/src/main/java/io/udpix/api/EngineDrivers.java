package io.udpix.api;

import io.udpix.driver.Driver;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.Drivers;
import io.udpix.driver.NioDriver;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one place that chooses how an endpoint meets the network. Today: the JDK NIO driver. When udpix-driver
 * offers a driver interface with native drivers behind it, only this class changes.
 */
final class EngineDrivers {
    private EngineDrivers() {
    }

    /**
     * Binds {@code bind} and starts a driver thread for {@code endpoint}; {@code events} runs on that thread.
     *
     * @throws java.net.BindException naming the port and the fix when the address cannot be bound
     */
    static EngineDriver start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        NioDriver driver = NioDriver.start(endpoint, bind, options, events);
        return new NioEngineDriver(driver);
    }

    /**
     * As {@link #start(SansIoEndpoint, InetSocketAddress, DriverOptions, Consumer)}, with the driver named
     * {@code kind} ({@code auto}, {@code nio}, {@code epoll}... as {@link Drivers#start} takes them); null keeps the
     * default above.
     *
     * @throws IllegalArgumentException      for an unknown driver name
     * @throws UnsupportedOperationException when the named driver cannot run here (the message says why)
     */
    static EngineDriver start(String kind, SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        if (kind == null) {
            return start(endpoint, bind, options, events);
        }
        return new NamedEngineDriver(Drivers.start(kind, endpoint, bind, options, events));
    }

    /** Any {@link Driver} behind the API's interface. */
    private static final class NamedEngineDriver implements EngineDriver {
        private final Driver driver;

        NamedEngineDriver(Driver driver) {
            this.driver = driver;
        }

        @Override
        public InetSocketAddress localAddress() {
            return driver.localAddress();
        }

        @Override
        public void execute(Consumer<SansIoEndpoint> command) {
            driver.execute(command);
        }

        @Override
        public <T> CompletableFuture<T> call(Function<SansIoEndpoint, T> function) {
            return driver.call(function);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    /** NioDriver behind the API's interface. */
    private static final class NioEngineDriver implements EngineDriver {
        private final NioDriver driver;

        NioEngineDriver(NioDriver driver) {
            this.driver = driver;
        }

        @Override
        public InetSocketAddress localAddress() {
            return driver.localAddress();
        }

        @Override
        public void execute(Consumer<SansIoEndpoint> command) {
            driver.execute(command);
        }

        @Override
        public <T> CompletableFuture<T> call(Function<SansIoEndpoint, T> function) {
            return driver.call(function);
        }

        @Override
        public void close() {
            driver.close();
        }
    }
}
