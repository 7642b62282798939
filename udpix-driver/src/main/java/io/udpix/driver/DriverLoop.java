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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The NIO driver's event loop: the only code that touches the endpoint, the channel and the selector, all on one
 * thread. Each pass runs the shared {@link DutyCycle} steps around the NIO transport: queued commands, a read burst,
 * due timers, a send burst, events; then it sleeps in the selector until the next deadline, a datagram,
 * writability or a command.
 */
final class DriverLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(NioDriver.class.getName());
    /** Room for the largest UDP payload (65,507 over IPv4, 65,527 over IPv6) plus the truncation probe byte. */
    static final int BUFFER_BYTES = 65_536;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int BLOCKED = -1;
    private static final int DROPPED = -2;

    private final DutyCycle cycle;
    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final DriverOptions options;
    private final SendOperation sendOperation;
    private final DriverMetrics counters;
    private final String name;

    /** False only while the loop is in (or about to enter) a blocking select; saves a wakeup syscall otherwise. */
    private final AtomicBoolean awake = new AtomicBoolean(true);

    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private boolean readable;
    /** Where the datagram in sendBuffer goes while the socket refuses it; null when sendBuffer holds nothing. */
    private InetSocketAddress heldTarget;

    DriverLoop(SansIoEndpoint endpoint, DatagramChannel channel, Selector selector, SelectionKey key,
            DriverOptions options, Consumer<EndpointEvent> events, SendOperation sendOperation,
            DriverMetrics counters, String name) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.options = options;
        this.sendOperation = sendOperation;
        this.counters = counters;
        this.name = name;
        this.cycle = new DutyCycle(endpoint, events, counters,
                new CommandQueue(options.commandQueueCapacity(), name), LOG, name, "NIO driver loop on " + name);
    }

    /** Queues a command for the loop thread and wakes the loop; any thread. */
    void submit(Consumer<? super SansIoEndpoint> command) {
        cycle.commands().offer(command);
        wakeUp();
    }

    /** Stops accepting commands and asks the loop to end after its current pass; any thread. */
    void requestStop() {
        cycle.stop();
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
            while (cycle.isRunning()) {
                pass();
            }
        } catch (ClosedChannelException | ClosedSelectorException | CancelledKeyException e) {
            // Expected only after forceClose (running is then false); otherwise something closed the socket.
            if (cycle.isRunning()) {
                failure = e;
            }
        } catch (IOException | RuntimeException | Error e) {
            cycle.haltIfFatal(e);
            failure = e;
        } finally {
            cycle.stop();
            if (failure != null) {
                LOG.log(System.Logger.Level.ERROR, "the udpix driver on " + name + " stopped: " + failure, failure);
            }
            shutDown();
        }
    }

    private void pass() throws IOException {
        cycle.beginStep();
        boolean moreWork = cycle.runCommands();
        cycle.clearStrayInterrupt();
        if (readable) {
            moreWork |= receiveBurst();
        }
        long nowNs = cycle.runTimersIfDue();
        moreWork |= flush(nowNs);
        moreWork |= cycle.deliverEvents();
        waitForWork(moreWork);
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
                    cycle.receiveFailed(e);
                    continue;
                } catch (IOException e) {
                    cycle.receiveFailed(e);
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
                cycle.handleDatagram((InetSocketAddress) from, receiveBuffer, System.nanoTime());
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
                InetSocketAddress target = cycle.pollTransmit(sendBuffer, nowNs);
                if (target == null) {
                    return false;
                }
                if (cycle.dropIfOversized(sendBuffer.remaining(), options.maxDatagramBytes())) {
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
            Rarely.log(LOG, count, "send of " + length + " bytes to " + target + " failed on " + name, e);
            return DROPPED;
        }
    }

    private void waitForWork(boolean moreWork) throws IOException {
        readable = false;
        awake.set(false);
        if (moreWork || !cycle.isRunning() || !cycle.commands().isEmpty()) {
            selector.selectNow(onReady);
        } else {
            long nowNs = System.nanoTime();
            long timeoutMs = timeoutMs(cycle.nextDeadlineNs(nowNs), nowNs);
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
        // The anti-spin rule (DutyCycle#mustNotSpin): a held send is woken by OP_WRITE, not by polling.
        if (cycle.mustNotSpin(deadlineNs)) {
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

    private void shutDown() {
        // No offer can succeed any more: fail what is left, so no caller waits forever on a call().
        cycle.shutDown();
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
