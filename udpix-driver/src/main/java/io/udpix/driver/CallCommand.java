package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A queued {@link Driver#call}: runs the function on the loop thread and completes the future with its result;
 * shared by every driver.
 */
public final class CallCommand<T> implements Consumer<SansIoEndpoint> {
    private final Function<? super SansIoEndpoint, ? extends T> function;
    private final CompletableFuture<T> future = new CompletableFuture<>();

    /** A command that runs {@code function}. */
    public CallCommand(Function<? super SansIoEndpoint, ? extends T> function) {
        this.function = function;
    }

    /** The future the caller waits on. */
    public CompletableFuture<T> future() {
        return future;
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
    public void reject(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
