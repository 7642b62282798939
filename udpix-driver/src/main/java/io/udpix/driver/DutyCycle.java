package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The steps of the driver's duty cycle (Aeron's agent {@code doWork}) and their fault handling, on the loop
 * thread: queued commands, due timers, the endpoint's calls, event delivery, the timer anti-spin rule and the
 * close. {@link DriverLoop} calls them in this order each step: {@link #beginStep}, {@link #runCommands},
 * {@link #clearStrayInterrupt}, (receive: {@link #handleDatagram} per datagram), {@link #runTimersIfDue},
 * (transmit: {@link #pollTransmit} until null), {@link #deliverEvents}; then its {@link Transport} waits until
 * {@link #nextDeadlineNs}, at least a millisecond ahead when {@link #mustNotSpin} says so.
 *
 * <p>Faults: a RuntimeException from the endpoint, a command or the event consumer is counted
 * ({@link DriverMetrics#ENDPOINT_ERRORS}, {@link DriverMetrics#CALLBACK_ERRORS}), logged rarely, and the loop
 * goes on; a {@link VirtualMachineError} halts the process ({@link FatalErrors}).
 */
final class DutyCycle {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** A bound on events delivered per pass, so a chatty endpoint cannot starve I/O. */
    private static final int MAX_EVENTS_PER_PASS = 4096;

    private final SansIoEndpoint endpoint;
    private final Consumer<EndpointEvent> events;
    private final DriverMetrics counters;
    private final CommandQueue commands;
    private final System.Logger log;
    private final String name;
    private final String where;

    private volatile boolean running = true;
    /** The time handed to the endpoint's timers in this step; MIN_VALUE if they did not run. */
    private long timersRanAtNs = Long.MIN_VALUE;
    private boolean endpointFaulted;

    /**
     * The shared steps for {@code endpoint}; {@code name} (the bound address) goes into log lines and errors,
     * {@code where} (such as "NIO driver loop on 127.0.0.1 port 4000") into the fatal-error message.
     */
    public DutyCycle(SansIoEndpoint endpoint, Consumer<EndpointEvent> events, DriverMetrics counters,
            CommandQueue commands, System.Logger log, String name, String where) {
        this.endpoint = endpoint;
        this.events = events;
        this.counters = counters;
        this.commands = commands;
        this.log = log;
        this.name = name;
        this.where = where;
    }

    /** False once {@link #stop} ran; any thread. */
    public boolean isRunning() {
        return running;
    }

    /** Refuses new commands and ends the cycle after the current step; any thread. */
    public void stop() {
        commands.stopAccepting();
        running = false;
    }

    /** The queued commands. */
    public CommandQueue commands() {
        return commands;
    }

    /** Starts a step: counts it and forgets the previous step's timer run and faults. */
    public void beginStep() {
        counters.increment(DriverMetrics.LOOP_PASSES);
        timersRanAtNs = Long.MIN_VALUE;
        endpointFaulted = false;
    }

    /** Runs queued commands, at most the queue's capacity; true if that bound stopped it with commands left. */
    public boolean runCommands() {
        for (int i = 0; i < commands.capacity(); i++) {
            if (!running) {
                return false;
            }
            Consumer<? super SansIoEndpoint> command = commands.poll();
            if (command == null) {
                return false;
            }
            try {
                command.accept(endpoint);
            } catch (RuntimeException | Error e) {
                callbackFailed("a command", e);
            }
        }
        return true;
    }

    /**
     * Clears an interrupt left by a command or the event consumer: on an interrupted thread the next NIO channel
     * call would close the socket (InterruptibleChannel) and every select would return at once; Netty's loop must
     * not inherit it either.
     */
    public void clearStrayInterrupt() {
        if (Thread.interrupted()) {
            log.log(System.Logger.Level.WARNING, "the udpix driver thread on {0} was interrupted; ignored (use "
                    + "close() to stop it)", name);
        }
    }

    /** Hands one received datagram to the endpoint (borrowed for the call); a fault is counted. */
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        try {
            endpoint.handleDatagram(from, datagram, nowNs);
        } catch (RuntimeException | Error e) {
            endpointFailed("handleDatagram", e);
        }
    }

    /**
     * Counts a failed receive: an ICMP port-unreachable report as {@link DriverMetrics#ICMP_ERRORS}, anything else
     * as {@link DriverMetrics#RECEIVE_ERRORS} (logged rarely). One socket serves many peers, so neither is fatal.
     */
    public void receiveFailed(Throwable e) {
        if (e instanceof PortUnreachableException) {
            counters.increment(DriverMetrics.ICMP_ERRORS);
            return;
        }
        long count = counters.add(DriverMetrics.RECEIVE_ERRORS, 1);
        Rarely.log(log, count, "receive failed on " + name, e);
    }

    /** Reads the clock, runs the endpoint's timers if due, and returns the time read (for the transmit). */
    public long runTimersIfDue() {
        long nowNs = System.nanoTime();
        if (nextDeadlineNs(nowNs) <= nowNs) {
            counters.increment(DriverMetrics.TIMER_RUNS);
            try {
                endpoint.handleTimeout(nowNs);
            } catch (RuntimeException | Error e) {
                endpointFailed("handleTimeout", e);
            }
            timersRanAtNs = nowNs;
        }
        return nowNs;
    }

    /** The endpoint's next datagram written into {@code buffer} and its target; null when none or on a fault. */
    public InetSocketAddress pollTransmit(ByteBuffer buffer, long nowNs) {
        try {
            return endpoint.pollTransmit(buffer, nowNs);
        } catch (RuntimeException | Error e) {
            endpointFailed("pollTransmit", e);
            return null;
        }
    }

    /**
     * True (counted as an OVERSIZED send error, logged rarely) when the endpoint produced a datagram over the
     * driver's limit: the transport drops it instead of sending it; the protocol's loss recovery resends the content.
     */
    public boolean dropIfOversized(int lengthBytes, int maxDatagramBytes) {
        if (lengthBytes <= maxDatagramBytes) {
            return false;
        }
        long count = counters.sendErrors(DriverMetrics.SendErrorCause.OVERSIZED, 1);
        Rarely.log(log, count, "the endpoint produced a " + lengthBytes + "-byte datagram, over maxDatagramBytes "
                + maxDatagramBytes + "; dropped", null);
        return true;
    }

    /** Hands queued events to the consumer; true if the per-pass bound stopped it with events left. */
    public boolean deliverEvents() {
        for (int i = 0; i < MAX_EVENTS_PER_PASS; i++) {
            EndpointEvent event;
            try {
                event = endpoint.pollEvent();
            } catch (RuntimeException | Error e) {
                endpointFailed("pollEvent", e);
                return false;
            }
            if (event == null) {
                return false;
            }
            try {
                events.accept(event);
            } catch (RuntimeException | Error e) {
                callbackFailed("the event consumer", e);
            }
        }
        return true;
    }

    /** The endpoint's next deadline; a millisecond ahead if it threw. */
    public long nextDeadlineNs(long nowNs) {
        try {
            return endpoint.nextDeadlineNs();
        } catch (RuntimeException | Error e) {
            endpointFailed("nextDeadlineNs", e);
            return nowNs + NANOS_PER_MILLI;
        }
    }

    /**
     * The timer anti-spin rule: true when the loop must sleep at least a millisecond rather than wake at once for
     * {@code deadlineNs}. The endpoint already got this deadline's timers and transmit in this step and still
     * reports it due: what is left is a send the full socket refused (writability wakes the loop) or an endpoint
     * that claims work it does not do. Same after an endpoint fault in this step.
     */
    public boolean mustNotSpin(long deadlineNs) {
        return endpointFaulted || (timersRanAtNs != Long.MIN_VALUE && deadlineNs <= timersRanAtNs);
    }

    /** Counts (and rarely logs) a RuntimeException from the endpoint; halts on a fatal error. */
    public void endpointFailed(String method, Throwable e) {
        FatalErrors.haltIfFatal(e, where);
        endpointFaulted = true;
        long count = counters.add(DriverMetrics.ENDPOINT_ERRORS, 1);
        Rarely.log(log, count, "the endpoint threw from " + method + " on " + name + "; the driver keeps going", e);
    }

    /** Counts (and rarely logs) a RuntimeException from a command or the event consumer; halts on a fatal error. */
    public void callbackFailed(String who, Throwable e) {
        FatalErrors.haltIfFatal(e, where);
        long count = counters.add(DriverMetrics.CALLBACK_ERRORS, 1);
        Rarely.log(log, count, who + " threw on the udpix driver thread of " + name + "; the driver keeps going", e);
    }

    /** The fail-fast rule for anything else caught on the loop thread (see {@link FatalErrors}). */
    public void haltIfFatal(Throwable e) {
        FatalErrors.haltIfFatal(e, where);
    }

    /** The last act on the loop: no more commands or steps; queued calls fail so no caller waits forever. */
    public void shutDown() {
        stop();
        int dropped = commands.rejectAll();
        if (dropped > 0) {
            log.log(System.Logger.Level.DEBUG, "{0} queued commands dropped at close of {1}", dropped, name);
        }
    }
}
