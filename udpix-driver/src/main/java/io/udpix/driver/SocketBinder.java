package io.udpix.driver;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Locale;

/** Opens and binds the driver's socket, turning the kernel's terse bind errors into ones that name the fix. */
final class SocketBinder {
    private static final System.Logger LOG = System.getLogger(NioDriver.class.getName());

    private SocketBinder() {}

    /** A bound, still blocking channel with the socket buffers of {@code options}. */
    static DatagramChannel openBound(InetSocketAddress bind, DriverOptions options) throws IOException {
        if (bind.isUnresolved()) {
            throw new BindException("cannot bind " + bind.getHostString()
                    + ": the name does not resolve; use an IP address such as 127.0.0.1");
        }
        // The family follows the address: an IPv4 address gets a plain IPv4 socket (no mapped addresses);
        // "::" gives a dual-stack socket.
        ProtocolFamily family = bind.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel channel = DatagramChannel.open(family);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferBytes());
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferBytes());
            if (options.reusePort()) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            try {
                channel.bind(bind);
            } catch (IOException e) {
                throw describe(bind, e);
            }
            warnIfCapped(channel, StandardSocketOptions.SO_RCVBUF.name(), "net.core.rmem_max",
                    channel.getOption(StandardSocketOptions.SO_RCVBUF), options.receiveBufferBytes());
            warnIfCapped(channel, StandardSocketOptions.SO_SNDBUF.name(), "net.core.wmem_max",
                    channel.getOption(StandardSocketOptions.SO_SNDBUF), options.sendBufferBytes());
            return channel;
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** See {@link BindErrors#describe}. */
    static BindException describe(InetSocketAddress bind, IOException e) {
        return BindErrors.describe(bind, e);
    }

    private static void warnIfCapped(DatagramChannel channel, String option, String sysctl, int actualBytes,
            int requestedBytes) throws IOException {
        // Java reports the size asked of the kernel (Linux internally doubles it for bookkeeping), so "less than
        // requested" means the sysctl capped it: bursts beyond it are dropped by the kernel, not by us.
        if (actualBytes < requestedBytes) {
            LOG.log(System.Logger.Level.INFO, "{0} of {1} is {2} bytes, less than the {3} asked for; raise {4}",
                    option, channel.getLocalAddress(), actualBytes, requestedBytes, sysctl);
        }
    }
}
