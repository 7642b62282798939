package io.udpix.driver;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for {@link DriverLoop} that lets a test drive a {@link Transport} directly: each step runs the
 * actions the test queued (on the transport's loop thread), then awaits the deadline the test set. It reads and
 * sends nothing by itself, so what the test's actions see is the transport's doing alone.
 */
public final class ProbeAgent implements Transport.Agent {
    private static final long WAIT_S = 30;

    private final Transport transport;
    private final ConcurrentLinkedQueue<Runnable> actions = new ConcurrentLinkedQueue<>();
    private final BooleanSupplier workQueued = () -> !actions.isEmpty() || !isRunning();
    private final AtomicInteger receiveFailures = new AtomicInteger();
    private volatile boolean running = true;
    private volatile long deadlineNs = Long.MAX_VALUE;
    /** The first step at or after a deadline set by {@link #wakeAt}; 0 until then. */
    private volatile long wokeAtNs;
    private boolean inStep;

    public ProbeAgent(Transport transport) {
        this.transport = transport;
    }

    /** Starts the transport on this probe; returns the loop thread. */
    public Thread start() throws java.io.IOException {
        return transport.start(this);
    }

    @Override
    public void run() {
        try {
            while (running) {
                step();
            }
        } catch (java.nio.channels.ClosedSelectorException e) {
            // The transport was closed under the probe: the thread ends, as a closed transport's must.
        } catch (RuntimeException e) {
            if (running) {
                throw e;
            }
        }
    }

    @Override
    public void step() {
        if (inStep) {
            return;
        }
        inStep = true;
        try {
            long nowNs = System.nanoTime();
            if (deadlineNs != Long.MAX_VALUE && nowNs >= deadlineNs) {
                wokeAtNs = nowNs;
                deadlineNs = Long.MAX_VALUE;
            }
            Runnable action;
            while ((action = actions.poll()) != null) {
                action.run();
            }
            if (running) {
                transport.await(deadlineNs, workQueued);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            inStep = false;
        }
    }

    /** Where datagrams pushed by the transport go (set by the test before they arrive). */
    public volatile Transport.ReceiveSink pushed = (from, datagram) -> { };

    @Override
    public void received(java.net.InetSocketAddress from, java.nio.ByteBuffer datagram) {
        pushed.accept(from, datagram);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void receiveFailed(Throwable cause) {
        receiveFailures.incrementAndGet();
    }

    /** Runs {@code task} on the loop thread and waits for its result. */
    public <T> T onLoop(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        actions.add(future);
        if (!transport.wakeUp()) {
            throw new IllegalStateException("the transport refused the wake-up: closed");
        }
        return future.get(WAIT_S, TimeUnit.SECONDS);
    }

    /** Queues {@code action} and wakes the transport; what {@link Transport#wakeUp} returned. */
    public boolean submit(Runnable action) {
        actions.add(action);
        return transport.wakeUp();
    }

    /** From the next step on, awaits {@code atNs}; {@link #wokeAtNs} then tells when the step after it ran. */
    public void wakeAt(long atNs) throws Exception {
        onLoop(() -> {
            wokeAtNs = 0;
            deadlineNs = atNs;
            return null;
        });
    }

    /** When the first step at or after the {@link #wakeAt} deadline ran; 0 if none yet. */
    public long wokeAtNs() {
        return wokeAtNs;
    }

    /** Failed receives the transport reported. */
    public int receiveFailures() {
        return receiveFailures.get();
    }

    /** Ends the steps (a thread of the transport's own then returns from {@link #run}). */
    public void stop() {
        running = false;
        transport.wakeUp();
    }
}
