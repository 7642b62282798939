package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one {@link SansIoEndpoint} on one UDP socket: the shared {@link DriverLoop} over the JDK transport
 * ({@code NioTransport}: a {@code DatagramChannel} and a {@code Selector}), on one daemon thread named
 * {@code udpix-nio-<port>}. The endpoint is touched only by that thread; other threads
 * reach it through {@link #execute} and {@link #call}.
 */
public final class NioDriver implements Driver<SansIoEndpoint> {
    /** The name {@link Drivers#start} knows this driver by. */
    public static final String KIND = "nio";

    private static final System.Logger LOG = System.getLogger(NioDriver.class.getName());
    /** How long {@link #close()} waits for the loop before closing the socket under it. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private final DriverLoop loop;
    private final NioTransport transport;
    private final Thread thread;
    private final InetSocketAddress localAddress;
    private final DriverMetrics counters;

    private NioDriver(DriverLoop loop, Thread thread, NioTransport transport, DriverMetrics counters) {
        this.loop = loop;
        this.thread = thread;
        this.transport = transport;
        this.localAddress = transport.localAddress();
        this.counters = counters;
    }

    /**
     * Binds {@code bind} and starts the loop. {@code events} runs on the loop thread for every event the endpoint
     * queues, right after the step that queued it; it must not block.
     *
     * @throws java.net.BindException with a message naming the cause and the fix (port in use, address not
     *                                available, privileged port)
     */
    public static NioDriver start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        return start(endpoint, bind, options, events, DatagramChannel::send);
    }

    /** {@link #start}, with the send call replaceable so tests can simulate a full socket buffer. */
    static NioDriver start(SansIoEndpoint endpoint, InetSocketAddress bind, DriverOptions options,
            Consumer<EndpointEvent> events, SendOperation sendOperation) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(events, "events (pass e -> { } to ignore them)");
        Objects.requireNonNull(sendOperation, "sendOperation");
        NioTransport transport = NioTransport.open(bind, options, sendOperation,
                () -> DriverMetrics.register(endpoint, KIND));
        try {
            DriverLoop loop = new DriverLoop(endpoint, transport, options, events, transport.counters(), LOG);
            Thread thread = transport.start(loop);
            return new NioDriver(loop, thread, transport, transport.counters());
        } catch (RuntimeException | Error e) {
            transport.close();
            throw e;
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The bound address, with the actual port when 0 was asked for. */
    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Runs {@code command} on the loop thread, in submission order, before the loop's next read.
     *
     * @throws RejectedExecutionException when the driver is closed or its command queue is full
     */
    @Override
    public void execute(Consumer<? super SansIoEndpoint> command) {
        loop.submit(Objects.requireNonNull(command, "command"));
    }

    /**
     * Runs {@code function} on the loop thread and completes the future with its result or exception there (use
     * the {@code *Async} stages for slow follow-ups). Never wait for it on the loop thread itself: it would wait
     * forever. If the driver closes first, the future fails with {@link RejectedExecutionException}.
     *
     * @throws RejectedExecutionException when the driver is closed or its command queue is full
     */
    @Override
    public <T> CompletableFuture<T> call(Function<? super SansIoEndpoint, ? extends T> function) {
        CallCommand<T> command = new CallCommand<>(Objects.requireNonNull(function, "function"));
        loop.submit(command);
        return command.future();
    }

    /** The counters so far; cheap, any thread. */
    @Override
    public DriverStats stats() {
        return counters.stats();
    }

    /**
     * Stops the loop, closes the socket and waits (at most 5 s) for the thread to end. Idempotent. Called from the
     * loop thread (a command or the event consumer) it returns at once and the loop ends after its current pass.
     */
    @Override
    public void close() {
        loop.requestStop();
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (thread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "{0} did not stop within {1} ms (a command or the event consumer "
                    + "is blocking it); closing its socket anyway", thread.getName(), CLOSE_WAIT_MS);
            transport.close();
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
