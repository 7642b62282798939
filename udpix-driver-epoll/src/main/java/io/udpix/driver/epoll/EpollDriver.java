package io.udpix.driver.epoll;

import io.netty.channel.ChannelHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.udpix.driver.CallCommand;
import io.udpix.driver.Driver;
import io.udpix.driver.DriverLoop;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverStats;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one {@link SansIoEndpoint} on one UDP socket: the shared {@link DriverLoop} over {@link EpollTransport}
 * (Netty's native epoll channel), on one daemon thread named {@code udpix-epoll-<port>} (the channel's event
 * loop). Same contract as the NIO driver; faster because
 * consecutive same-size datagrams leave as one GSO send and arrive as one GRO read. Linux only.
 */
public final class EpollDriver implements Driver<SansIoEndpoint> {
    /** The name {@link io.udpix.driver.Drivers#start} knows this driver by. */
    public static final String KIND = "epoll";

    private static final System.Logger LOG = System.getLogger(EpollDriver.class.getName());
    /** How long {@link #close()} waits for the loop before closing the socket under it. */
    private static final long CLOSE_WAIT_MS = 5_000;
    /** Receive buffer for GRO and single reads: any UDP payload (65,527 over IPv6) fits, so nothing is cut. */
    private final EpollTransport transport;
    private final DriverLoop loop;
    private final DriverMetrics counters;
    private final Thread thread;
    private final InetSocketAddress localAddress;
    private final EpollTuning tuning;

    private EpollDriver(EpollTransport transport, DriverLoop loop, Thread thread, EpollTuning tuning) {
        this.transport = transport;
        this.loop = loop;
        this.counters = transport.counters();
        this.thread = thread;
        this.localAddress = transport.localAddress();
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
        EpollTransport transport = EpollSockets.open(bind, options, tuning, socketSide,
                () -> DriverMetrics.register(endpoint, KIND));
        try {
            DriverLoop loop = new DriverLoop(endpoint, transport, options, events, transport.counters(), LOG);
            Thread thread = transport.start(loop);
            return new EpollDriver(transport, loop, thread, tuning);
        } catch (IOException | RuntimeException | Error e) {
            transport.close();
            throw e;
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
        try {
            transport.eventLoop().execute(loop::shutDown);
        } catch (RejectedExecutionException e) {
            // Already shutting down: a second close.
        }
        if (transport.eventLoop().inEventLoop()) {
            return;
        }
        boolean interrupted = false;
        long giveUpNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        try {
            if (!transport.terminationFuture().await(CLOSE_WAIT_MS)) {
                LOG.log(System.Logger.Level.WARNING, "{0} did not stop within {1} ms (a command or the event "
                        + "consumer is blocking it); closing its socket anyway", thread.getName(), CLOSE_WAIT_MS);
                transport.forceCloseSocket();
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
}
