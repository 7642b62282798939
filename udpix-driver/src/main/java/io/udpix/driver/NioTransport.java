package io.udpix.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The JDK transport: a non-blocking {@link DatagramChannel} and a {@link Selector} on a thread of its own
 * ({@code udpix-nio-<port>}). One datagram per receive and send call (the JDK has no recvmmsg or GSO); the
 * selector's timeout is the loop's sleep, and {@link Selector#wakeup} its wake-up.
 */
final class NioTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(NioDriver.class.getName());
    /** Room for the largest UDP payload (65,507 over IPv4, 65,527 over IPv6) plus the truncation probe byte. */
    static final int BUFFER_BYTES = 65_536;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final DriverOptions options;
    private final SendOperation sendOperation;
    private final DriverMetrics counters;
    private final InetSocketAddress localAddress;
    private final String name;

    /** False only while the loop is in (or about to enter) a blocking select; saves a wakeup syscall otherwise. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady;
    /** Starts true: the first step reads whatever arrived between the bind and the loop's start. */
    private boolean readable = true;
    /** OP_WRITE is armed: a send was refused and the selector wakes the loop when there is room. */
    private boolean waitingForRoom;
    private Agent agent;
    private long sentDatagrams;
    private long sentBytes;

    private NioTransport(DatagramChannel channel, Selector selector, SelectionKey key, DriverOptions options,
            SendOperation sendOperation, DriverMetrics counters, InetSocketAddress localAddress) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.options = options;
        this.sendOperation = sendOperation;
        this.counters = counters;
        this.localAddress = localAddress;
        this.name = localAddress.getAddress().getHostAddress() + " port " + localAddress.getPort();
    }

    /**
     * Binds {@code bind} (a {@link java.net.BindException} names the cause and the fix) and registers it with a new
     * selector; {@code counters} get the transport's figures.
     */
    static NioTransport open(InetSocketAddress bind, DriverOptions options, SendOperation sendOperation,
            java.util.function.Supplier<DriverMetrics> counters) throws IOException {
        DatagramChannel channel = SocketBinder.openBound(bind, options);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            return new NioTransport(channel, selector, key, options, sendOperation, counters.get(), local);
        } catch (IOException | RuntimeException | Error e) {
            closeOnFailure(selector, e);
            closeOnFailure(channel, e);
            throw e;
        }
    }

    /** Where the transport's figures go (the endpoint's registry, registered once the socket was bound). */
    DriverMetrics counters() {
        return counters;
    }

    @Override
    public String kind() {
        return NioDriver.KIND;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public Thread start(Agent loop) {
        this.agent = loop;
        Thread thread = new Thread(loop, "udpix-nio-" + localAddress.getPort());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public int receive(ReceiveSink sink, int maxDatagrams) throws IOException {
        if (!readable) {
            return 0;
        }
        // Reading at most maxDatagramBytes + 1 bytes: a datagram that fills the limit was larger than allowed or
        // cut short by the kernel (the rest of a UDP datagram is discarded, not kept for the next read).
        int limit = options.maxDatagramBytes() + 1;
        int handed = 0;
        for (int i = 0; i < maxDatagrams; i++) {
            receiveBuffer.clear().limit(limit);
            SocketAddress from;
            try {
                from = channel.receive(receiveBuffer);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (PortUnreachableException e) {
                agent.receiveFailed(e);
                continue;
            } catch (IOException e) {
                agent.receiveFailed(e);
                return handed;
            }
            if (from == null) {
                readable = false;
                return handed;
            }
            if (receiveBuffer.position() >= limit) {
                counters.increment(DriverMetrics.RECEIVE_TRUNCATIONS);
                continue;
            }
            receiveBuffer.flip();
            handed++;
            sink.accept((InetSocketAddress) from, receiveBuffer);
        }
        return maxDatagrams; // the bound stopped it: more may be waiting
    }

    @Override
    public ByteBuffer sendBuffer() {
        return sendBuffer;
    }

    @Override
    public boolean send(InetSocketAddress target) throws IOException {
        int length = sendBuffer.remaining();
        counters.increment(DriverMetrics.SEND_CALLS);
        try {
            int sent = sendOperation.send(channel, sendBuffer, target);
            // A full socket buffer reads as 0 bytes sent. So does an empty datagram that did go out; udpix never
            // sends empty datagrams, so for those we cannot tell and take the kernel's word.
            if (sent == 0 && length > 0) {
                counters.increment(DriverMetrics.SEND_BLOCKED);
                if (!waitingForRoom) {
                    waitingForRoom = true;
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
                return false;
            }
            sentDatagrams++;
            sentBytes += sent;
        } catch (ClosedChannelException e) {
            throw e;
        } catch (PortUnreachableException e) {
            counters.increment(DriverMetrics.ICMP_ERRORS);
        } catch (IOException | RuntimeException e) {
            // The datagram is gone (bad address, no route, too large for the path): the protocol's loss recovery
            // resends its content, so the transport only counts it.
            long count = counters.sendErrors(DriverMetrics.SendErrorCause.of(e), 1);
            Rarely.log(LOG, count, "send of " + length + " bytes to " + target + " failed on " + name, e);
        }
        if (waitingForRoom) {
            waitingForRoom = false;
            key.interestOps(SelectionKey.OP_READ);
        }
        return true;
    }

    @Override
    public void flush() {
        // Every send went to the kernel at once (the JDK has no batched send); only the figures wait for the end.
        if (sentDatagrams > 0) {
            counters.add(DriverMetrics.DATAGRAMS_SENT, sentDatagrams);
            counters.add(DriverMetrics.BYTES_SENT, sentBytes);
            sentDatagrams = 0;
            sentBytes = 0;
        }
    }

    @Override
    public void await(long deadlineNs, BooleanSupplier workQueued) throws IOException {
        // Pairs with wakeUp: clear `awake`, then re-check the queue, so either we see a new command or its
        // submitter sees `awake == false` and wakes the selector (both are sequentially consistent accesses).
        awake.set(false);
        if (deadlineNs == Long.MIN_VALUE || workQueued.getAsBoolean()) {
            selector.selectNow(onReady);
        } else {
            long nowNs = System.nanoTime();
            long timeoutMs = timeoutMs(deadlineNs, nowNs);
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
        if (waitNs <= 0) {
            return 0;
        }
        return waitNs / NANOS_PER_MILLI + (waitNs % NANOS_PER_MILLI == 0 ? 0 : 1);
    }

    private void onReady(SelectionKey readyKey) {
        // OP_WRITE needs no flag: every step retries the held datagram first.
        if (readyKey.isValid() && readyKey.isReadable()) {
            readable = true;
        }
    }

    @Override
    public long pollAheadNs() {
        return options.spinThresholdNs();
    }

    @Override
    public boolean wakeUp() {
        if (closed.get()) {
            return false;
        }
        if (!awake.getAndSet(true)) {
            selector.wakeup();
        }
        return true;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
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

    private static void closeOnFailure(AutoCloseable resource, Throwable failure) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
