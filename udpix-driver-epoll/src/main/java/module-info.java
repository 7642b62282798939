/**
 * udpix's Linux driver on Netty's native epoll transport (GSO sends, GRO receives), found by
 * {@code io.udpix.driver.Drivers} as a {@link io.udpix.driver.DriverProvider} service. It exports nothing: an
 * application picks it by name ({@code epoll}) or lets {@code auto} choose.
 */
module io.udpix.driver.epoll {
    requires io.udpix.driver;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    // The native libraries are resources of these two modules; on the module path Netty finds them only in
    // modules that are resolved, and nothing else requires them. Each is a few hundred KiB; Netty loads the one
    // that matches os.arch.
    requires io.netty.transport.epoll.linux.x86_64;
    requires io.netty.transport.epoll.linux.aarch_64;

    provides io.udpix.driver.DriverProvider with io.udpix.driver.epoll.EpollDriverProvider;
}
