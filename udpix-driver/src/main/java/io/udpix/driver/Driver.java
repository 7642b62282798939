package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One {@link SansIoEndpoint} on one UDP socket and one thread: what every driver (NIO, epoll, ...) offers. The
 * endpoint is touched only by the driver's thread; other threads reach it through {@link #execute} and
 * {@link #call}, which hand it over typed as {@code E} (the type it was started with, so callers need no cast).
 * Start one with {@link Drivers#start}.
 *
 * @param <E> the endpoint type the driver drives
 */
public interface Driver<E extends SansIoEndpoint> extends AutoCloseable {

    /** The implementation: {@code "nio"}, {@code "epoll"}, ... (the names {@link Drivers#start} accepts). */
    String kind();

    /** The bound address, with the actual port when 0 was asked for. */
    InetSocketAddress localAddress();

    /**
     * Runs {@code command} on the driver thread, in submission order.
     *
     * @throws RejectedExecutionException when the driver is closed or its command queue is full
     */
    void execute(Consumer<? super E> command);

    /**
     * Runs {@code function} on the driver thread and completes the future with its result or exception there.
     * Never wait for it on the driver thread itself. If the driver closes first, the future fails with
     * {@link RejectedExecutionException}.
     *
     * @throws RejectedExecutionException when the driver is closed or its command queue is full
     */
    <T> CompletableFuture<T> call(Function<? super E, ? extends T> function);

    /** The counters so far; cheap, any thread. */
    DriverStats stats();

    /**
     * Stops the driver, closes the socket and waits (bounded) for the thread to end. Idempotent. Called from the
     * driver thread it returns at once and the driver stops after its current step.
     */
    @Override
    void close();
}
