package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The one driver loop (Aeron's agent and its duty cycle): owns commands, timers, transmit, receive, events and
 * faults for one endpoint on one thread, whatever the {@link Transport} under it. Each step: queued commands, a
 * receive batch, due timers, a send batch (one flush, GSO where the transport has it), events; then
 * {@link Transport#await} until the endpoint's next deadline (the timer anti-spin rule applied), a datagram, room
 * to send or a command. The steps themselves and their fault handling are {@link DutyCycle}'s.
 */
public final class DriverLoop implements Transport.Agent {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** A bound on steps re-run at once because the transport asked for one during a step (epoll writability). */
    private static final int MAX_STEPS_PER_CALL = 4;

    private final DutyCycle cycle;
    private final Transport transport;
    private final DriverOptions options;
    private final DriverMetrics counters;
    private final System.Logger log;
    private final String name;
    private final BooleanSupplier workQueued = this::workQueued;
    private final Transport.ReceiveSink onDatagram = this::onDatagram;

    private boolean inStep;
    private boolean stepAgain;
    /** Where the datagram left in the transport's send buffer goes while the socket refuses it; null if none. */
    private InetSocketAddress heldTarget;
    private long batchDatagrams;
    private long batchBytes;

    /**
     * A loop for {@code endpoint} over {@code transport}; {@code events} runs on the loop thread for every event the
     * endpoint queues, right after the step that queued it, and must not block.
     */
    public DriverLoop(SansIoEndpoint endpoint, Transport transport, DriverOptions options,
            Consumer<EndpointEvent> events, DriverMetrics counters, System.Logger log) {
        this.transport = transport;
        this.options = options;
        this.counters = counters;
        this.log = log;
        InetSocketAddress local = transport.localAddress();
        this.name = local.getAddress().getHostAddress() + " port " + local.getPort();
        this.cycle = new DutyCycle(endpoint, events, counters, new CommandQueue(options.commandQueueCapacity(), name),
                log, name, transport.kind() + " driver loop on " + name);
    }

    /** The bound address as log lines and errors name it ("127.0.0.1 port 4000"). */
    public String name() {
        return name;
    }

    /** Counts a failed receive ({@link DutyCycle#receiveFailed}); halts on a fatal error. */
    @Override
    public void receiveFailed(Throwable cause) {
        cycle.haltIfFatal(cause);
        cycle.receiveFailed(cause);
    }

    /**
     * Queues a command for the loop thread and wakes the loop; any thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the loop is closed or its queue is full
     */
    public void submit(Consumer<? super SansIoEndpoint> command) {
        cycle.commands().offer(command);
        if (!transport.wakeUp()) {
            throw cycle.commands().closed();
        }
    }

    /** Stops accepting commands and asks the loop to end after its current step; any thread. */
    public void requestStop() {
        cycle.stop();
        transport.wakeUp();
    }

    /** False once the loop was asked to stop. */
    @Override
    public boolean isRunning() {
        return cycle.isRunning();
    }

    /**
     * The loop on a thread of the transport's own (NIO): steps until stopped, then {@link #shutDown}. A socket
     * closed under it ends it quietly when a stop was asked for, with an error log otherwise.
     */
    @Override
    public void run() {
        Throwable failure = null;
        try {
            while (cycle.isRunning()) {
                stepOrThrow();
            }
        } catch (ClosedChannelException | ClosedSelectorException | CancelledKeyException e) {
            if (cycle.isRunning()) {
                failure = e;
            }
        } catch (IOException | RuntimeException | Error e) {
            cycle.haltIfFatal(e);
            failure = e;
        } finally {
            cycle.stop();
            if (failure != null) {
                log.log(System.Logger.Level.ERROR, "the udpix driver on " + name + " stopped: " + failure, failure);
            }
            shutDown();
        }
    }

    /**
     * One step, for a transport that calls the loop at each wake-up (epoll); a call during a step (a flush fired a
     * writability change) only asks for another step. A failure ends the loop (logged); a fatal one halts.
     */
    @Override
    public void step() {
        try {
            stepOrThrow();
        } catch (IOException | RuntimeException | Error e) {
            cycle.haltIfFatal(e);
            if (cycle.isRunning()) {
                log.log(System.Logger.Level.ERROR, "the udpix driver on " + name + " stopped: " + e, e);
                cycle.stop();
            }
        }
    }

    private void stepOrThrow() throws IOException {
        if (!cycle.isRunning()) {
            return;
        }
        if (inStep) {
            stepAgain = true;
            return;
        }
        inStep = true;
        try {
            boolean moreWork;
            int steps = 0;
            do {
                stepAgain = false;
                moreWork = dutyCycle();
            } while (stepAgain && cycle.isRunning() && ++steps < MAX_STEPS_PER_CALL);
            if (cycle.isRunning()) {
                transport.await(moreWork || stepAgain ? Long.MIN_VALUE : nextWakeNs(), workQueued);
            }
        } finally {
            inStep = false;
        }
    }

    /** Commands, a receive batch, due timers, a send batch, events; true if a bound stopped one with work left. */
    private boolean dutyCycle() throws IOException {
        cycle.beginStep();
        // Datagrams a transport pushed since the last step (epoll's read burst) are already in the endpoint's
        // counts: add them to the driver's before any command reads the registry, so both agree at any command.
        countReceivedBatch();
        boolean moreWork = cycle.runCommands();
        cycle.clearStrayInterrupt();
        moreWork |= receive();
        long nowNs = cycle.runTimersIfDue();
        moreWork |= transmit(nowNs);
        moreWork |= cycle.deliverEvents();
        return moreWork;
    }

    /** The receive batch (with what the transport pushed since the last step); true if its bound stopped it. */
    private boolean receive() throws IOException {
        int burst = options.maxDatagramsPerWakeup();
        int handed = transport.receive(onDatagram, burst);
        countReceivedBatch();
        return handed >= burst;
    }

    /** Adds the datagrams handed to the endpoint since the last count to the driver's figures, as one read burst. */
    private void countReceivedBatch() {
        if (batchDatagrams > 0) {
            counters.add(DriverMetrics.DATAGRAMS_RECEIVED, batchDatagrams);
            counters.add(DriverMetrics.BYTES_RECEIVED, batchBytes);
            counters.increment(DriverMetrics.READ_BURSTS);
            batchDatagrams = 0;
            batchBytes = 0;
        }
    }

    /** A datagram pushed during the transport's read burst: to the endpoint now, counted with the next batch. */
    @Override
    public void received(InetSocketAddress from, ByteBuffer datagram) {
        onDatagram(from, datagram);
    }

    private void onDatagram(InetSocketAddress from, ByteBuffer datagram) {
        batchDatagrams++;
        batchBytes += datagram.remaining();
        cycle.handleDatagram(from, datagram, System.nanoTime());
    }

    /**
     * The held datagram first, then what the endpoint releases at {@code nowNs}, until it has nothing, the socket
     * is full (the datagram is held) or the burst bound; one flush at the end. True only for the bound.
     */
    private boolean transmit(long nowNs) throws IOException {
        ByteBuffer buffer = transport.sendBuffer();
        try {
            if (heldTarget != null) {
                if (!transport.send(heldTarget)) {
                    return false;
                }
                heldTarget = null;
            }
            int burst = options.maxDatagramsPerWakeup();
            for (int i = 0; i < burst; i++) {
                InetSocketAddress target = cycle.pollTransmit(buffer, nowNs);
                if (target == null) {
                    return false;
                }
                if (cycle.dropIfOversized(buffer.remaining(), options.maxDatagramBytes())) {
                    continue;
                }
                if (!transport.send(target)) {
                    heldTarget = target;
                    return false;
                }
            }
            return true;
        } finally {
            transport.flush();
        }
    }

    /**
     * When to wake with nothing else happening: the endpoint's deadline; {@link Long#MIN_VALUE} (poll) when it is
     * nearer than the transport's {@link Transport#pollAheadNs}, unless the anti-spin rule says sleep.
     */
    private long nextWakeNs() {
        long nowNs = System.nanoTime();
        long deadlineNs = cycle.nextDeadlineNs(nowNs);
        if (deadlineNs == Long.MAX_VALUE && heldTarget == null) {
            return Long.MAX_VALUE;
        }
        if (heldTarget != null) {
            // Transports wake the loop when the socket has room again; a millisecond bounds the wait in case no
            // event says so (epoll's held empty datagram waits for Netty's queue, which fires nothing).
            long capNs = nowNs + NANOS_PER_MILLI;
            if (deadlineNs >= capNs || cycle.mustNotSpin(deadlineNs)) {
                return capNs;
            }
            return pollOrSleep(deadlineNs, nowNs);
        }
        // The anti-spin rule (DutyCycle#mustNotSpin): the endpoint got this deadline's timers and transmit in this
        // step and still reports it due; a held send is woken by room to send, not by polling.
        if (cycle.mustNotSpin(deadlineNs)) {
            return Math.max(deadlineNs, nowNs + NANOS_PER_MILLI);
        }
        return pollOrSleep(deadlineNs, nowNs);
    }

    private long pollOrSleep(long deadlineNs, long nowNs) {
        long waitNs = deadlineNs - nowNs;
        if (waitNs < 0 && deadlineNs > nowNs) {
            return deadlineNs; // the subtraction overflowed: the deadline is very far away
        }
        return waitNs < Math.max(1, transport.pollAheadNs()) ? Long.MIN_VALUE : deadlineNs;
    }

    private boolean workQueued() {
        return !cycle.isRunning() || !cycle.commands().isEmpty();
    }

    /** The last act on the loop thread: queued calls fail so no caller waits forever; the transport closes. */
    public void shutDown() {
        cycle.shutDown();
        transport.close();
    }
}
