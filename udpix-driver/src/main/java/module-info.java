/**
 * udpix's I/O drivers: one engine endpoint on one UDP socket on one thread. The NIO driver is here; native ones
 * (udpix-driver-epoll) are found as {@link io.udpix.driver.DriverProvider} services.
 */
module io.udpix.driver {
    requires transitive io.udpix.engine;

    exports io.udpix.driver;

    uses io.udpix.driver.DriverProvider;
}
