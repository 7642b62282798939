package io.udpix.driver.epoll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The epoll transport: Netty's {@code EpollDatagramChannel} (GRO reads, GSO sends through {@link TransmitBatcher})
 * with its single event-loop thread as the loop's thread. Netty owns epoll_wait, so the {@link DriverLoop} runs as
 * that thread's work: each read burst, writability change, wake-up task or deadline timer calls
 * {@link DriverLoop#step}, and {@link #await} arms the one timer (a timerfd: deadlines met to the microsecond).
 * Received datagrams are pushed into the loop's receive batch as Netty's read burst delivers them (no copy, no
 * holding: {@link #channelRead}); the step at the burst's end runs the rest of the cycle.
 *
 * <p>Driving Netty's native calls from a thread of our own was the alternative; its public surface (Native,
 * LinuxSocket, EpollEventArray) lacks the GSO/GRO message calls (NativeDatagramPacketArray is package-private),
 * so that would mean reflection into Netty. This class is the pipeline's last handler.
 */
final class EpollTransport extends ChannelInboundHandlerAdapter implements Transport {
    private static final System.Logger LOG = System.getLogger(EpollDriver.class.getName());
    private static final long START_WAIT_MS = 5_000;

    private final Channel channel;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop eventLoop;
    private final DriverOptions options;
    private final DriverMetrics counters;
    private final TransmitBatcher batcher;
    private final InetSocketAddress localAddress;
    private final DatagramView views = new DatagramView();
    private final AtomicBoolean stepQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable queuedStep = this::runQueuedStep;
    private final Runnable continuation = this::runContinuation;
    private final Runnable timerStep = this::runTimer;

    private Agent loop;
    private ChannelHandlerContext ctx;
    private boolean continuationQueued;
    private ScheduledFuture<?> timer;
    private long timerDeadlineNs = Long.MAX_VALUE;

    EpollTransport(Channel channel, MultiThreadIoEventLoopGroup group, DriverOptions options, DriverMetrics counters,
            TransmitBatcher batcher) {
        this.channel = channel;
        this.group = group;
        this.eventLoop = channel.eventLoop();
        this.options = options;
        this.counters = counters;
        this.batcher = batcher;
        this.localAddress = (InetSocketAddress) channel.localAddress();
    }

    /** Where the transport's figures go (the endpoint's registry, registered once the socket was bound). */
    DriverMetrics counters() {
        return counters;
    }

    /** The channel's event loop: the loop thread. */
    EventLoop eventLoop() {
        return eventLoop;
    }

    /** Completes when the event loop thread has ended (after {@link #close}). */
    io.netty.util.concurrent.Future<?> terminationFuture() {
        return group.terminationFuture();
    }

    /** Closes the socket from outside, for a loop stuck in a command or the event consumer. */
    void forceCloseSocket() {
        try {
            ((EpollDatagramChannel) channel).fd().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the socket of " + localAddress + " failed", e);
        }
    }

    @Override
    public String kind() {
        return EpollDriver.KIND;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Joins the pipeline on the event loop, runs the loop's first step, then starts reading. */
    @Override
    public Thread start(Agent agent) throws IOException {
        this.loop = agent;
        try {
            return eventLoop.submit(() -> {
                Thread current = Thread.currentThread();
                current.setName("udpix-epoll-" + localAddress.getPort());
                channel.pipeline().addLast(this);
                agent.step(); // the endpoint may already have something to send or a deadline
                channel.config().setAutoRead(true);
                return current;
            }).get(START_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the epoll driver", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the epoll driver's loop did not start: " + e, e);
        }
    }

    // ---- receive (loop thread) --------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    /**
     * One datagram of Netty's read burst, handed on to the loop's receive batch at once ({@link Agent#received}):
     * the batch is the burst (at most maxDatagramsPerWakeup reads), and the step at its end
     * (channelReadComplete) runs the rest of the duty cycle. Handing on at once keeps each pooled read buffer in
     * the cache: holding the burst's datagrams for the step measured about 40% more CPU per GiB (EpollVsNioBlast,
     * 1,400-byte datagrams) and half the throughput with 64 KiB ones. With UDP_GRO one read returns up to 64
     * coalesced datagrams; Netty 4.2.18 cuts them apart (EpollDatagramChannel slices the read by the segment size
     * from the UDP_GRO control message), so each arrives here alone, as a slice of one pooled read buffer.
     */
    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!closed.get() && loop.isRunning()) {
                handOn(packet);
            }
        } finally {
            packet.release();
        }
    }

    private void handOn(DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        // The 64 KiB read buffer holds any UDP datagram and any GRO batch of the kernel's default gro_max_size, so
        // nothing arrives cut; in recvmmsg mode a slot holds maxDatagramBytes + 1, so a datagram that fills it was
        // larger than allowed. Over the limit is dropped, never passed on cut.
        if (length > options.maxDatagramBytes()) {
            counters.increment(DriverMetrics.RECEIVE_TRUNCATIONS);
            return;
        }
        // The view shares the pooled memory; the endpoint reads it during the call only.
        loop.received(packet.sender(), views.of(content));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        step();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            step();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        // Netty reports failed receives here (sends fail their own promise). One socket serves many peers, so
        // nothing here is fatal: count and go on.
        loop.receiveFailed(cause);
    }

    /** Nothing to pull: Netty's read path already handed each datagram on ({@link #channelRead}). */
    @Override
    public int receive(ReceiveSink sink, int maxDatagrams) {
        return 0;
    }

    // ---- send (loop thread) -----------------------------------------------------------------------------------

    @Override
    public ByteBuffer sendBuffer() {
        return batcher.scratch();
    }

    /**
     * Into the GSO batch; refused while the channel is unwritable (Netty holds more than the high water mark: the
     * socket buffer is full) and a flush does not change that, so nothing is dropped for lack of room and
     * channelWritabilityChanged wakes the loop. Empty datagrams bypass Netty (see TransmitBatcher#sendEmpty).
     */
    @Override
    public boolean send(InetSocketAddress target) {
        if (!channel.isWritable() && !flushRestoresWritability()) {
            return false;
        }
        if (batcher.scratch().remaining() == 0) {
            flush();
            if (!batcher.sendEmpty(ctx, target)) {
                counters.increment(DriverMetrics.SEND_BLOCKED);
                return false;
            }
            return true;
        }
        batcher.add(ctx, target);
        return true;
    }

    private boolean flushRestoresWritability() {
        flush();
        if (channel.isWritable()) {
            return true;
        }
        counters.increment(DriverMetrics.SEND_BLOCKED);
        return false;
    }

    @Override
    public void flush() {
        batcher.writePending(ctx);
        ctx.flush();
    }

    // ---- wake-ups ---------------------------------------------------------------------------------------------

    /**
     * Another step at once ({@link Long#MIN_VALUE}: queued behind Netty's pending I/O, so reads are not starved), or
     * the one timer armed for {@code deadlineNs} unless it already fires no later.
     */
    @Override
    public void await(long deadlineNs, BooleanSupplier workQueued) {
        if (deadlineNs == Long.MIN_VALUE) {
            if (!continuationQueued) {
                continuationQueued = true;
                eventLoop.execute(continuation);
            }
            return;
        }
        if (deadlineNs == Long.MAX_VALUE) {
            return; // an armed timer stays: it fires once, finds nothing due and arms nothing
        }
        if (timer != null) {
            if (timerDeadlineNs <= deadlineNs) {
                return; // fires first; that step arms the later deadline
            }
            timer.cancel(false);
        }
        long nowNs = System.nanoTime();
        timerDeadlineNs = deadlineNs;
        long delayNs = deadlineNs - nowNs;
        if (delayNs < 0 && deadlineNs > nowNs) {
            delayNs = Long.MAX_VALUE; // the subtraction overflowed: the deadline is very far away
        }
        timer = eventLoop.schedule(timerStep, Math.max(0, delayNs), TimeUnit.NANOSECONDS);
    }

    /** Netty's timer is a timerfd, precise to the microsecond: never poll ahead of a deadline. */
    @Override
    public long pollAheadNs() {
        return 0;
    }

    /** Queues one step task unless one is on its way; false once the event loop refuses tasks. Any thread. */
    @Override
    public boolean wakeUp() {
        if (closed.get()) {
            return false;
        }
        // Pairs with runQueuedStep, which clears the flag before stepping: either that step sees the caller's
        // command or the caller sees the flag clear and queues another.
        if (stepQueued.compareAndSet(false, true)) {
            try {
                eventLoop.execute(queuedStep);
            } catch (RejectedExecutionException e) {
                return false;
            }
        }
        return true;
    }

    private void runQueuedStep() {
        stepQueued.set(false);
        step();
    }

    private void runContinuation() {
        continuationQueued = false;
        step();
    }

    private void runTimer() {
        timer = null;
        timerDeadlineNs = Long.MAX_VALUE;
        step();
    }

    private void step() {
        if (loop.isRunning()) {
            counters.increment(DriverMetrics.WAKEUPS);
            loop.step();
        }
    }

    // ---- close ------------------------------------------------------------------------------------------------

    /**
     * Cancels the timer, releases held and batched buffers, closes the channel and ends the event loop (its thread
     * ends once this task returns); on the event loop.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!eventLoop.inEventLoop()) {
            try {
                eventLoop.execute(this::closeOnLoop);
                return;
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, "event loop already gone; closing the channel from outside");
            }
        }
        closeOnLoop();
    }

    private void closeOnLoop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        batcher.discard();
        channel.close();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
}
