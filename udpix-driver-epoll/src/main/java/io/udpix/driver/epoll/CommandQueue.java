package io.udpix.driver.epoll;

import io.udpix.engine.SansIoEndpoint;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The bounded queue of {@link EpollDriver#execute} commands. Netty's own task queue is unbounded, so commands wait
 * here and the event loop gets one drain task at a time.
 */
final class CommandQueue {
    private final ArrayBlockingQueue<Consumer<SansIoEndpoint>> commands;
    private final int capacity;
    private final String name;
    /** Orders "stop accepting" against offers, so no command slips in after the final drain. */
    private final Object admission = new Object();
    private boolean accepting = true;

    CommandQueue(int capacity, String name) {
        this.commands = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.name = name;
    }

    /** Queues a command; any thread. */
    void offer(Consumer<SansIoEndpoint> command) {
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
    void stopAccepting() {
        synchronized (admission) {
            accepting = false;
        }
    }

    RejectedExecutionException closed() {
        return new RejectedExecutionException("the udpix driver on " + name + " is closed; start a new one");
    }

    /** The next command, or null. */
    Consumer<SansIoEndpoint> poll() {
        return commands.poll();
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    int capacity() {
        return capacity;
    }

    /** After {@link #stopAccepting}: fails every queued call so no caller waits forever; returns how many ran not. */
    int rejectAll() {
        RejectedExecutionException closed =
                new RejectedExecutionException("the udpix driver on " + name + " closed before the call ran");
        int dropped = 0;
        for (Consumer<SansIoEndpoint> command = commands.poll(); command != null; command = commands.poll()) {
            if (command instanceof CallCommand<?> call) {
                call.reject(closed);
            }
            dropped++;
        }
        return dropped;
    }
}
