package io.udpix.driver.epoll;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.udpix.driver.BindErrors;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverOptions;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Opens an {@link EpollTransport}: a one-thread Netty epoll event loop and a datagram channel bound on it with the
 * driver's socket options (GRO or recvmmsg, buffer sizes, write water marks, SO_REUSEPORT).
 */
final class EpollSockets {
    private static final System.Logger LOG = System.getLogger(EpollDriver.class.getName());
    private static final long STOP_WAIT_MS = 5_000;
    /** Receive buffer for GRO and single reads: any UDP payload (65,527 over IPv6) fits, so nothing is cut. */
    private static final int READ_BUFFER_BYTES = 65_536;
    /** recvmmsg slots per read: enough to amortise the call, few enough to keep one read's buffer small. */
    private static final int RECVMMSG_SLOTS = 64;
    private static final int MAX_RECVMMSG_BUFFER_BYTES = 1 << 20;

    private EpollSockets() {
    }

    /**
     * Binds {@code bind}; {@code counters} is asked for the figures once bound.
     *
     * @throws UnsupportedOperationException when epoll cannot run here (the message names the cause)
     * @throws java.net.BindException        with a message naming the cause and the fix (port in use, address not
     *                                       available, privileged port, unresolved name)
     */
    static EpollTransport open(InetSocketAddress bind, DriverOptions options, EpollTuning tuning,
            ChannelHandler socketSide, Supplier<DriverMetrics> counters) throws IOException {
        Throwable unavailable = EpollDriver.unavailabilityCause();
        if (unavailable != null) {
            throw new UnsupportedOperationException("--driver epoll is not available on this platform: "
                    + unavailable.getMessage() + "; use --driver nio", unavailable);
        }
        if (bind.isUnresolved()) {
            throw BindErrors.unresolved(bind);
        }
        AtomicReference<Thread> threadRef = new AtomicReference<>();
        ThreadFactory threads = runnable -> {
            // Renamed after its port once bound; daemon like the NIO driver's, so a forgotten driver never keeps
            // the JVM alive.
            // A FastThreadLocalThread: Netty's recyclers and pool caches serve only those.
            Thread thread = new FastThreadLocalThread(runnable, "udpix-epoll-binding");
            thread.setDaemon(true);
            threadRef.set(thread);
            return thread;
        };
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, threads, EpollIoHandler.newFactory());
        try {
            return bind(bind, options, tuning, socketSide, group, counters);
        } catch (IOException | RuntimeException | Error e) {
            stopGroup(group, threadRef.get());
            throw e;
        }
    }

    private static EpollTransport bind(InetSocketAddress bind, DriverOptions options, EpollTuning tuning,
            ChannelHandler socketSide, MultiThreadIoEventLoopGroup group, Supplier<DriverMetrics> counters)
            throws IOException {
        SocketProtocolFamily family = bind.getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(() -> new EpollDatagramChannel(family))
                // Nothing is read before the endpoint's handler is in place (it needs the bound port's name).
                .option(ChannelOption.AUTO_READ, false)
                // The classic pooled allocator recycles its ByteBuf objects, slices and NIO views; Netty 4.2's
                // default adaptive one allocates a few of those per datagram.
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.SO_RCVBUF, options.receiveBufferBytes())
                .option(ChannelOption.SO_SNDBUF, options.sendBufferBytes())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(tuning.writeBufferLowBytes(), tuning.writeBufferHighBytes()))
                .option(ChannelOption.RECVBUF_ALLOCATOR, receiveAllocator(options, tuning))
                .handler(socketSide != null ? socketSide : new ChannelInboundHandlerAdapter());
        // GRO and recvmmsg are never combined: Netty 4.2.18 then delivers a coalesced batch as one datagram.
        switch (tuning.receiveMode()) {
            case GRO -> bootstrap.option(EpollChannelOption.UDP_GRO, true);
            case RECVMMSG -> bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE,
                    recvmmsgSlotBytes(options));
            case SINGLE -> { }
        }
        if (options.reusePort()) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            bound.channel().close().awaitUninterruptibly();
            if (cause instanceof IOException) {
                throw BindErrors.describe(bind, cause);
            }
            throw new IOException("cannot bind " + bind + ": " + cause, cause);
        }
        Channel channel = bound.channel();
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        String name = local.getAddress().getHostAddress() + " port " + local.getPort();
        DriverMetrics metrics = counters.get();
        boolean gso = tuning.gso() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        TransmitBatcher batcher = new TransmitBatcher(metrics, name, gso, tuning.gsoMaxSegmentBytesOffLoopback());
        warnIfCapped(channel, local, options);
        return new EpollTransport(channel, group, options, metrics, batcher);
    }

    private static FixedRecvByteBufAllocator receiveAllocator(DriverOptions options, EpollTuning tuning) {
        int bufferBytes = tuning.receiveMode() == EpollTuning.ReceiveMode.RECVMMSG
                ? recvmmsgSlotBytes(options) * Math.max(1, Math.min(RECVMMSG_SLOTS,
                        MAX_RECVMMSG_BUFFER_BYTES / recvmmsgSlotBytes(options)))
                : READ_BUFFER_BYTES;
        FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(bufferBytes);
        // A bound on datagrams per read burst, so reading cannot starve sending, timers or commands.
        allocator.maxMessagesPerRead(options.maxDatagramsPerWakeup());
        return allocator;
    }

    /** One byte more than the largest allowed datagram, so a datagram that fills its slot is known to be too big. */
    private static int recvmmsgSlotBytes(DriverOptions options) {
        return options.maxDatagramBytes() + 1;
    }

    private static void warnIfCapped(Channel channel, InetSocketAddress local, DriverOptions options) {
        // Linux reports twice what it granted (bookkeeping overhead), capped by the sysctl: less than asked means
        // the sysctl capped it, and bursts beyond it are dropped by the kernel, not by us.
        int receiveBytes = channel.config().getOption(ChannelOption.SO_RCVBUF);
        int sendBytes = channel.config().getOption(ChannelOption.SO_SNDBUF);
        if (receiveBytes < options.receiveBufferBytes()) {
            LOG.log(System.Logger.Level.INFO, "SO_RCVBUF of {0} is {1} bytes, less than the {2} asked for; raise "
                    + "net.core.rmem_max", local, receiveBytes, options.receiveBufferBytes());
        }
        if (sendBytes < options.sendBufferBytes()) {
            LOG.log(System.Logger.Level.INFO, "SO_SNDBUF of {0} is {1} bytes, less than the {2} asked for; raise "
                    + "net.core.wmem_max", local, sendBytes, options.sendBufferBytes());
        }
    }

    private static void stopGroup(MultiThreadIoEventLoopGroup group, Thread thread) {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(STOP_WAIT_MS);
        if (thread != null) {
            try {
                thread.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
