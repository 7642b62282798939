package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A process for the fail-fast test: a driver of the kind named in {@code args[0]} on 127.0.0.1 whose endpoint
 * throws OutOfMemoryError from handleDatagram (as an engine with an exhausted heap would). Prints
 * {@code READY <port>} and then waits; the first datagram must end the process.
 */
public final class OutOfMemoryEndpointMain {
    private OutOfMemoryEndpointMain() {}

    /** Starts the driver and waits forever (the test expects the driver to halt the process). */
    public static void main(String[] args) throws Exception {
        // An echo endpoint that never gets to echo: idle timers, nothing to send, no events.
        SansIoEndpoint endpoint = new EchoEndpoint() {
            @Override
            public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
                throw new OutOfMemoryError("Java heap space (thrown by the test endpoint)");
            }
        };
        Driver<?> driver = Drivers.start(args[0], endpoint, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                DriverOptions.defaults(), event -> { });
        System.out.println("READY " + driver.localAddress().getPort());
        System.out.flush();
        Thread.sleep(120_000);
        System.out.println("STILL ALIVE");
        System.exit(0);
    }
}
