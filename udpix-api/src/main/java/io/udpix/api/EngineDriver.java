package io.udpix.api;

import io.udpix.engine.SansIoEndpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the API needs from a driver: one endpoint on one socket, run by one thread that is the only one touching
 * the endpoint. NioDriver's surface; a native driver with the same surface can stand behind it.
 */
interface EngineDriver extends AutoCloseable {
    /** The bound address, with the real port. */
    InetSocketAddress localAddress();

    /** Runs {@code command} on the driver thread; RejectedExecutionException when closed or its queue is full. */
    void execute(Consumer<SansIoEndpoint> command);

    /** Runs {@code function} on the driver thread and completes the future there. */
    <T> CompletableFuture<T> call(Function<SansIoEndpoint, T> function);

    /** Stops the thread and closes the socket. */
    @Override
    void close();
}
