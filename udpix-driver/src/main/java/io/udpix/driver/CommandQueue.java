package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The bounded queue of a driver's {@link Driver#execute} commands, shared by every driver: offers from any thread,
 * polls on the loop thread, and a close that fails every queued {@link CallCommand} so no caller waits forever.
 * (Netty's own task queue is unbounded, so the epoll driver's commands wait here too.)
 */
public final class CommandQueue {
    private final ArrayBlockingQueue<Consumer<? super SansIoEndpoint>> commands;
    private final int capacity;
    private final String name;
    /** Orders "stop accepting" against offers, so no command slips in after the final drain. */
    private final Object admission = new Object();
    private boolean accepting = true;

    /** A queue of at most {@code capacity} commands; {@code name} (the bound address) goes into its errors. */
    public CommandQueue(int capacity, String name) {
        this.commands = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.name = name;
    }

    /**
     * Queues a command; any thread.
     *
     * @throws RejectedExecutionException when closed or full (the message says which and what to do)
     */
    public void offer(Consumer<? super SansIoEndpoint> command) {
        synchronized (admission) {
            if (!accepting) {
                throw closed();
            }
            if (!commands.offer(command)) {
                throw new RejectedExecutionException("the command queue of the udpix driver on " + name
                        + " is full (" + capacity + " commands): the loop is stalled or overloaded; retry later "
                        + "or raise commandQueueCapacity");
            }
        }
    }

    /** Refuses every later offer; any thread. */
    public void stopAccepting() {
        synchronized (admission) {
            accepting = false;
        }
    }

    /** The error for an offer after {@link #stopAccepting}. */
    public RejectedExecutionException closed() {
        return new RejectedExecutionException("the udpix driver on " + name + " is closed; start a new one");
    }

    /** The next command, or null. */
    public Consumer<? super SansIoEndpoint> poll() {
        return commands.poll();
    }

    /** Whether nothing is queued; any thread. */
    public boolean isEmpty() {
        return commands.isEmpty();
    }

    /** The most commands it holds. */
    public int capacity() {
        return capacity;
    }

    /** After {@link #stopAccepting}: fails every queued call so no caller waits forever; returns how many ran not. */
    public int rejectAll() {
        RejectedExecutionException closed =
                new RejectedExecutionException("the udpix driver on " + name + " closed before the call ran");
        int dropped = 0;
        for (Consumer<? super SansIoEndpoint> command = commands.poll(); command != null; command = commands.poll()) {
            if (command instanceof CallCommand<?> call) {
                call.reject(closed);
            }
            dropped++;
        }
        return dropped;
    }
}
