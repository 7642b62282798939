package io.udpix.driver.epoll;

import io.udpix.engine.SansIoEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/** A queued {@link EpollDriver#call}: runs the function on the loop thread and completes the future with its result. */
final class CallCommand<T> implements Consumer<SansIoEndpoint> {
    private final Function<SansIoEndpoint, T> function;
    final CompletableFuture<T> future = new CompletableFuture<>();

    CallCommand(Function<SansIoEndpoint, T> function) {
        this.function = function;
    }

    @Override
    public void accept(SansIoEndpoint endpoint) {
        T result;
        try {
            result = function.apply(endpoint);
        } catch (RuntimeException | Error e) {
            // The caller owns this failure: it goes to the future, not to the driver's error counters.
            future.completeExceptionally(e);
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return;
        }
        future.complete(result);
    }

    /** Completes the future exceptionally because the driver stopped before running the function. */
    void reject(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
