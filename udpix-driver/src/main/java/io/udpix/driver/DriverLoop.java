package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The driver's event loop: the only code that touches the endpoint, the channel and the selector, all on one
 * thread. Each pass runs queued commands, reads a burst, runs due timers, sends a burst, delivers events, then
 * sleeps in the selector until the next deadline, a datagram, writability or a command.
 */
final class DriverLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(NioDriver.class.getName());
    /** Room for the largest UDP payload (65,507 over IPv4, 65,527 over IPv6) plus the truncation probe byte. */
    static final int BUFFER_BYTES = 65_536;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** A bound on events delivered per pass, so a chatty endpoint cannot starve I/O. */
    private static final int MAX_EVENTS_PER_PASS = 4096;
    private static final int BLOCKED = -1;
    private static final int DROPPED = -2;

    private final SansIoEndpoint endpoint;
    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final DriverOptions options;
    private final Consumer<EndpointEvent> events;
    private final SendOperation sendOperation;
    private final DriverMetrics counters;
    private final String name;

    private final ArrayBlockingQueue<Consumer<SansIoEndpoint>> commands;
    /** Orders "stop accepting" against offers, so no command slips in after the final drain. */
    private final Object admission = new Object();
    private boolean accepting = true;
    private volatile boolean running = true;
    /** False only while the loop is in (or about to enter) a blocking select; saves a wakeup syscall otherwise. */
    private final AtomicBoolean awake = new AtomicBoolean(true);

    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private boolean readable;
    /** Where the datagram in sendBuffer goes while the socket refuses it; null when sendBuffer holds nothing. */
    private InetSocketAddress heldTarget;
    /** The time handed to the endpoint's timers and transmit path in this pass; MIN_VALUE if timers did not run. */
    private long timersRanAtNs;
    private boolean endpointFaulted;

    DriverLoop(SansIoEndpoint endpoint, DatagramChannel channel, Selector selector, SelectionKey key,
            DriverOptions options, Consumer<EndpointEvent> events, SendOperation sendOperation,
            DriverMetrics counters, String name) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.options = options;
        this.events = events;
        this.sendOperation = sendOperation;
        this.counters = counters;
        this.name = name;
        this.commands = new ArrayBlockingQueue<>(options.commandQueueCapacity());
    }

    /** Queues a command for the loop thread and wakes the loop; any thread. */
    void submit(Consumer<SansIoEndpoint> command) {
        synchronized (admission) {
            if (!accepting) {
                throw new RejectedExecutionException("the udpix driver on " + name + " is closed; start a new one");
            }
            if (!commands.offer(command)) {
                throw new RejectedExecutionException("the command queue of the udpix driver on " + name
                        + " is full (" + options.commandQueueCapacity() + " commands): the loop is stalled or "
                        + "overloaded; retry later or raise commandQueueCapacity");
            }
        }
        wakeUp();
    }

    /** Stops accepting commands and asks the loop to end after its current pass; any thread. */
    void requestStop() {
        synchronized (admission) {
            accepting = false;
        }
        running = false;
        wakeUp();
    }

    /** Closes the socket and selector from outside, for a loop stuck in a command; the loop then fails out. */
    void forceClose() {
        closeQuietly();
    }

    private void wakeUp() {
        // Pairs with waitForWork: it clears `awake` and then re-checks the queue and `running`, so either it sees
        // our change or we see `awake == false` and wake it (both are sequentially consistent accesses).
        if (!awake.getAndSet(true)) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            while (running) {
                pass();
            }
        } catch (ClosedChannelException | ClosedSelectorException | CancelledKeyException e) {
            // Expected only after forceClose (running is then false); otherwise something closed the socket.
            if (running) {
                failure = e;
            }
        } catch (IOException | RuntimeException | Error e) {
            FatalErrors.haltIfFatal(e, "NIO driver loop on " + name);
            failure = e;
        } finally {
            running = false;
            if (failure != null) {
                LOG.log(System.Logger.Level.ERROR, "the udpix driver on " + name + " stopped: " + failure, failure);
            }
            shutDown();
        }
    }

    private void pass() throws IOException {
        counters.increment(DriverMetrics.LOOP_PASSES);
        timersRanAtNs = Long.MIN_VALUE;
        boolean moreWork = runCommands();
        clearStrayInterrupt();
        if (readable) {
            moreWork |= receiveBurst();
        }
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
        moreWork |= flush(nowNs);
        moreWork |= deliverEvents();
        waitForWork(moreWork);
    }

    /**
     * Clears an interrupt left by a command or the event consumer: on an interrupted thread the next channel call
     * would close the socket (InterruptibleChannel) and every select would return at once.
     */
    private void clearStrayInterrupt() {
        if (Thread.interrupted()) {
            LOG.log(System.Logger.Level.WARNING, "the udpix driver thread on {0} was interrupted; ignored (use "
                    + "close() to stop it)", name);
        }
    }

    /** Runs queued commands; true if the per-pass bound stopped it with commands left. */
    private boolean runCommands() {
        for (int i = 0; i < options.commandQueueCapacity(); i++) {
            if (!running) {
                return false;
            }
            Consumer<SansIoEndpoint> command = commands.poll();
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

    /** Reads up to one burst of datagrams into the endpoint; true if the bound stopped it. */
    private boolean receiveBurst() throws ClosedChannelException {
        // Reading at most maxDatagramBytes + 1 bytes: a datagram that fills the limit was larger than allowed
        // or cut short by the kernel (the rest of a UDP datagram is discarded, not kept for the next read).
        int limit = options.maxDatagramBytes() + 1;
        long datagrams = 0;
        long bytes = 0;
        int burst = options.maxDatagramsPerWakeup();
        int i = 0;
        try {
            for (; i < burst; i++) {
                receiveBuffer.clear().limit(limit);
                SocketAddress from;
                try {
                    from = channel.receive(receiveBuffer);
                } catch (ClosedChannelException e) {
                    throw e;
                } catch (PortUnreachableException e) {
                    counters.increment(DriverMetrics.ICMP_ERRORS);
                    continue;
                } catch (IOException e) {
                    long count = counters.add(DriverMetrics.RECEIVE_ERRORS, 1);
                    logRarely(count, "receive failed on " + name, e);
                    return false;
                }
                if (from == null) {
                    return false;
                }
                int length = receiveBuffer.position();
                if (length >= limit) {
                    counters.increment(DriverMetrics.RECEIVE_TRUNCATIONS);
                    continue;
                }
                receiveBuffer.flip();
                datagrams++;
                bytes += length;
                try {
                    endpoint.handleDatagram((InetSocketAddress) from, receiveBuffer, System.nanoTime());
                } catch (RuntimeException | Error e) {
                    endpointFailed("handleDatagram", e);
                }
            }
            return true;
        } finally {
            if (datagrams > 0) {
                counters.add(DriverMetrics.DATAGRAMS_RECEIVED, datagrams);
                counters.add(DriverMetrics.BYTES_RECEIVED, bytes);
                counters.increment(DriverMetrics.READ_BURSTS);
            }
        }
    }

    /**
     * Sends the held datagram, then what the endpoint releases at {@code nowNs}, until it has nothing, the socket
     * is full (the datagram is kept and OP_WRITE armed) or the burst bound; true only for the bound.
     */
    private boolean flush(long nowNs) throws ClosedChannelException {
        long datagrams = 0;
        long bytes = 0;
        try {
            if (heldTarget != null) {
                int sent = send(heldTarget);
                if (sent == BLOCKED) {
                    return false;
                }
                if (sent >= 0) {
                    datagrams++;
                    bytes += sent;
                }
                heldTarget = null;
                key.interestOps(SelectionKey.OP_READ);
            }
            int burst = options.maxDatagramsPerWakeup();
            for (int i = 0; i < burst; i++) {
                InetSocketAddress target;
                try {
                    target = endpoint.pollTransmit(sendBuffer, nowNs);
                } catch (RuntimeException | Error e) {
                    endpointFailed("pollTransmit", e);
                    return false;
                }
                if (target == null) {
                    return false;
                }
                if (sendBuffer.remaining() > options.maxDatagramBytes()) {
                    long count = counters.sendErrors(DriverMetrics.SendErrorCause.OVERSIZED, 1);
                    logRarely(count, "the endpoint produced a " + sendBuffer.remaining() + "-byte datagram, over "
                            + "maxDatagramBytes " + options.maxDatagramBytes() + "; dropped", null);
                    continue;
                }
                int sent = send(target);
                if (sent == BLOCKED) {
                    heldTarget = target;
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return false;
                }
                if (sent >= 0) {
                    datagrams++;
                    bytes += sent;
                }
            }
            return true;
        } finally {
            counters.add(DriverMetrics.DATAGRAMS_SENT, datagrams);
            counters.add(DriverMetrics.BYTES_SENT, bytes);
        }
    }

    /** Sends sendBuffer's datagram; its length, BLOCKED (buffer untouched) or DROPPED (counted). */
    private int send(InetSocketAddress target) throws ClosedChannelException {
        int length = sendBuffer.remaining();
        counters.increment(DriverMetrics.SEND_CALLS);
        try {
            int sent = sendOperation.send(channel, sendBuffer, target);
            // A full socket buffer reads as 0 bytes sent. So does an empty datagram that did go out; udpix never
            // sends empty datagrams, so for those we cannot tell and take the kernel's word.
            if (sent == 0 && length > 0) {
                counters.increment(DriverMetrics.SEND_BLOCKED);
                return BLOCKED;
            }
            return sent;
        } catch (ClosedChannelException e) {
            throw e;
        } catch (PortUnreachableException e) {
            counters.increment(DriverMetrics.ICMP_ERRORS);
            return DROPPED;
        } catch (IOException | RuntimeException e) {
            // The datagram is gone (bad address, no route, too large for the path): the protocol's loss
            // recovery resends its content, so the loop only counts it.
            long count = counters.sendErrors(DriverMetrics.SendErrorCause.of(e), 1);
            logRarely(count, "send of " + length + " bytes to " + target + " failed on " + name, e);
            return DROPPED;
        }
    }

    /** Hands queued events to the consumer; true if the per-pass bound stopped it. */
    private boolean deliverEvents() {
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

    private void waitForWork(boolean moreWork) throws IOException {
        readable = false;
        awake.set(false);
        if (moreWork || !running || !commands.isEmpty()) {
            selector.selectNow(onReady);
        } else {
            long nowNs = System.nanoTime();
            long timeoutMs = timeoutMs(nextDeadlineNs(nowNs), nowNs);
            if (timeoutMs < 0) {
                selector.select(onReady);
                counters.increment(DriverMetrics.WAKEUPS);
            } else if (timeoutMs == 0) {
                selector.selectNow(onReady);
            } else {
                selector.select(onReady, timeoutMs);
                counters.increment(DriverMetrics.WAKEUPS);
            }
        }
        awake.set(true);
        endpointFaulted = false;
    }

    /** How long to sleep: -1 for "until I/O or a command", 0 for "poll", else whole milliseconds. */
    private long timeoutMs(long deadlineNs, long nowNs) {
        if (deadlineNs == Long.MAX_VALUE) {
            return -1;
        }
        long waitNs = deadlineNs - nowNs;
        if (waitNs < 0 && deadlineNs > nowNs) {
            waitNs = Long.MAX_VALUE; // the subtraction overflowed: the deadline is very far away
        }
        // The endpoint already got this deadline's timers and transmit at timersRanAtNs and still reports it
        // due: what is left is a send the full socket refused (OP_WRITE wakes us) or an endpoint that claims
        // work it does not do. Either way, wait a millisecond rather than spin. Same after an endpoint fault.
        if (endpointFaulted || (timersRanAtNs != Long.MIN_VALUE && deadlineNs <= timersRanAtNs)) {
            return Math.max(1, ceilMillis(waitNs));
        }
        if (waitNs <= 0 || waitNs < options.spinThresholdNs()) {
            return 0;
        }
        return ceilMillis(waitNs);
    }

    private static long ceilMillis(long ns) {
        if (ns <= 0) {
            return 0;
        }
        return ns / NANOS_PER_MILLI + (ns % NANOS_PER_MILLI == 0 ? 0 : 1);
    }

    private void onReady(SelectionKey readyKey) {
        // OP_WRITE needs no flag: every pass retries the held datagram first.
        if (readyKey.isValid() && readyKey.isReadable()) {
            readable = true;
        }
    }

    private long nextDeadlineNs(long nowNs) {
        try {
            return endpoint.nextDeadlineNs();
        } catch (RuntimeException | Error e) {
            endpointFailed("nextDeadlineNs", e);
            return nowNs + NANOS_PER_MILLI;
        }
    }

    private void endpointFailed(String method, Throwable e) {
        rethrowIfFatal(e);
        endpointFaulted = true;
        long count = counters.add(DriverMetrics.ENDPOINT_ERRORS, 1);
        logRarely(count, "the endpoint threw from " + method + " on " + name + "; the driver keeps going", e);
    }

    private void callbackFailed(String who, Throwable e) {
        rethrowIfFatal(e);
        long count = counters.add(DriverMetrics.CALLBACK_ERRORS, 1);
        logRarely(count, who + " threw on the udpix driver thread of " + name + "; the driver keeps going", e);
    }

    /** The fail-fast rule: a VirtualMachineError ends the process (see {@link FatalErrors}), never a zombie. */
    private void rethrowIfFatal(Throwable e) {
        FatalErrors.haltIfFatal(e, "NIO driver loop on " + name);
    }

    /** Logs the 1st, 2nd, 4th, 8th... occurrence, so a fault on every datagram cannot flood the log. */
    private static void logRarely(long count, String message, Throwable e) {
        if (Long.bitCount(count) == 1) {
            LOG.log(System.Logger.Level.WARNING, message + " (occurrence " + count + ")", e);
        }
    }

    private void shutDown() {
        synchronized (admission) {
            accepting = false;
        }
        // No offer can succeed any more: fail what is left, so no caller waits forever on a call().
        RejectedExecutionException closed =
                new RejectedExecutionException("the udpix driver on " + name + " closed before the call ran");
        int dropped = 0;
        for (Consumer<SansIoEndpoint> command = commands.poll(); command != null; command = commands.poll()) {
            if (command instanceof CallCommand<?> call) {
                call.reject(closed);
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.log(System.Logger.Level.DEBUG, "{0} queued commands dropped at close of {1}", dropped, name);
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector of " + name + " failed", e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the socket of " + name + " failed", e);
        }
    }
}
