package io.udpix.driver.epoll;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.udpix.driver.BindErrors;
import io.udpix.driver.CallCommand;
import io.udpix.driver.Driver;
import io.udpix.driver.DriverLoop;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverStats;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one {@link SansIoEndpoint} on one UDP socket: the shared {@link DriverLoop} over {@link EpollTransport}
 * (Netty's native epoll channel), on one daemon thread named {@code udpix-epoll-<port>} (the channel's event loop). Same contract as the NIO driver; faster because
 * consecutive same-size datagrams leave as one GSO send and arrive as one GRO read. Linux only.
 */
public final class EpollDriver implements Driver<SansIoEndpoint> {
    /** The name {@link io.udpix.driver.Drivers#start} knows this driver by. */
    public static final String KIND = "epoll";

    private static final System.Logger LOG = System.getLogger(EpollDriver.class.getName());
    /** How long {@link #close()} waits for the loop before closing the socket under it. */
    private static final long CLOSE_WAIT_MS = 5_000;
    /** Receive buffer for GRO and single reads: any UDP payload (65,527 over IPv6) fits, so nothing is cut. */
    private static final int READ_BUFFER_BYTES = 65_536;
    /** recvmmsg slots per read: enough to amortise the call, few enough to keep one read's buffer small. */
    private static final int RECVMMSG_SLOTS = 64;
    private static final int MAX_RECVMMSG_BUFFER_BYTES = 1 << 20;

    private final Channel channel;
    private final MultiThreadIoEventLoopGroup group;
    private final DriverLoop loop;
    private final DriverMetrics counters;
    private final Thread thread;
    private final InetSocketAddress localAddress;
    private final EpollTuning tuning;

    private EpollDriver(Channel channel, MultiThreadIoEventLoopGroup group, DriverLoop loop, DriverMetrics counters,
            Thread thread, EpollTuning tuning) {
        this.channel = channel;
        this.group = group;
        this.loop = loop;
        this.counters = counters;
        this.thread = thread;
        this.localAddress = (InetSocketAddress) channel.localAddress();
        this.tuning = tuning;
    }

    /** Whether this driver can run here: null if so, else why not (not Linux, no native library). */
    public static Throwable unavailabilityCause() {
        try {
            return Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }

    /** Whether the kernel and Netty here can send GSO batches (UDP_SEGMENT with sendmmsg). */
    public static boolean isGsoSupported() {
        return unavailabilityCause() == null && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    /** {@link #start(SansIoEndpoint, InetSocketAddress, DriverOptions, Consumer, EpollTuning)} with defaults. */
    public static EpollDriver start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        return start(endpoint, bind, options, events, EpollTuning.defaults());
    }

    /**
     * Binds {@code bind} and starts the event loop. {@code events} runs on the loop thread for every event the
     * endpoint queues, right after the step that queued it; it must not block.
     *
     * @throws UnsupportedOperationException when epoll cannot run here (the message names the cause)
     * @throws java.net.BindException        with a message naming the cause and the fix (port in use, address not
     *                                       available, privileged port, unresolved name)
     */
    public static EpollDriver start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events, EpollTuning tuning) throws IOException {
        return start(endpoint, bind, options, events, tuning, null);
    }

    /** {@link #start}, with a handler placed between the driver and the socket so tests can stall writes. */
    static EpollDriver start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events, EpollTuning tuning, ChannelHandler socketSide) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(events, "events (pass e -> { } to ignore them)");
        Objects.requireNonNull(tuning, "tuning");
        Throwable unavailable = unavailabilityCause();
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
            return bind(endpoint, bind, options, events, tuning, socketSide, group, threadRef);
        } catch (IOException | RuntimeException | Error e) {
            stopGroup(group, threadRef.get());
            throw e;
        }
    }

    private static EpollDriver bind(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events, EpollTuning tuning, ChannelHandler socketSide,
            MultiThreadIoEventLoopGroup group, AtomicReference<Thread> threadRef) throws IOException {
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
        DriverMetrics counters = DriverMetrics.register(endpoint, KIND);
        boolean gso = tuning.gso() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        TransmitBatcher batcher = new TransmitBatcher(counters, name, gso, tuning.gsoMaxSegmentBytesOffLoopback());
        EpollTransport transport = new EpollTransport(channel, options, counters, batcher);
        DriverLoop loop = new DriverLoop(endpoint, transport, options, events, counters, LOG);
        Thread thread = transport.start(loop);
        warnIfCapped(channel, local, options);
        return new EpollDriver(channel, group, loop, counters, thread, tuning);
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

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Runs {@code command} on the loop thread, in submission order.
     *
     * @throws RejectedExecutionException when the driver is closed or its command queue is full
     */
    @Override
    public void execute(Consumer<? super SansIoEndpoint> command) {
        loop.submit(Objects.requireNonNull(command, "command"));
    }

    /**
     * Runs {@code function} on the loop thread and completes the future with its result or exception there. Never
     * wait for it on the loop thread itself. If the driver closes first, the future fails with
     * {@link RejectedExecutionException}.
     *
     * @throws RejectedExecutionException when the driver is closed or its command queue is full
     */
    @Override
    public <T> CompletableFuture<T> call(Function<? super SansIoEndpoint, ? extends T> function) {
        CallCommand<T> command = new CallCommand<>(Objects.requireNonNull(function, "function"));
        loop.submit(command);
        return command.future();
    }

    @Override
    public DriverStats stats() {
        return counters.stats();
    }

    /** The epoll-specific counters so far; cheap, any thread. */
    public EpollStats epollStats() {
        return new EpollStats(counters.read(DriverMetrics.GSO_BATCHES), counters.read(DriverMetrics.GSO_SEGMENTS),
                counters.read(DriverMetrics.GSO_FAILURES), counters.read(DriverMetrics.GSO_ACTIVE) != 0,
                counters.read(DriverMetrics.READ_BURSTS), tuning.receiveMode());
    }

    /**
     * Stops the loop, closes the socket and waits (at most 5 s) for the thread to end. Idempotent. Called from the
     * loop thread (a command or the event consumer) it returns at once and the loop ends after its current pass.
     */
    @Override
    public void close() {
        loop.requestStop();
        EventLoop eventLoop = channel.eventLoop();
        try {
            eventLoop.execute(() -> {
                loop.shutDown();
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            });
        } catch (RejectedExecutionException e) {
            // Already shutting down: a second close.
        }
        if (eventLoop.inEventLoop()) {
            return;
        }
        boolean interrupted = false;
        long giveUpNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        try {
            if (!group.terminationFuture().await(CLOSE_WAIT_MS)) {
                LOG.log(System.Logger.Level.WARNING, "{0} did not stop within {1} ms (a command or the event "
                        + "consumer is blocking it); closing its socket anyway", thread.getName(), CLOSE_WAIT_MS);
                forceCloseSocket();
                return;
            }
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUpNs - System.nanoTime())));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop thread, for tests that measure it. */
    Thread loopThread() {
        return thread;
    }

    private void forceCloseSocket() {
        try {
            ((EpollDatagramChannel) channel).fd().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the socket of " + localAddress + " failed", e);
        }
    }

    private static void stopGroup(MultiThreadIoEventLoopGroup group, Thread thread) {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_WAIT_MS);
        if (thread != null) {
            try {
                thread.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
