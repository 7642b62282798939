package io.udpix.driver.epoll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.udpix.driver.CommandQueue;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.DutyCycle;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The endpoint's side of the channel, all on the event loop thread: hands each received datagram to the endpoint,
 * and after each read burst, command batch, timer or writability change runs one pass of the shared
 * {@link DutyCycle} steps (commands, due timers, a bounded send burst into Netty, events), then arms one timer for
 * the endpoint's next deadline.
 */
final class EndpointHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(EpollDriver.class.getName());
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** A bound on passes re-run at once because a writability change arrived during one. */
    private static final int MAX_STEPS_PER_PASS = 4;

    private final DutyCycle cycle;
    private final DriverOptions options;
    private final DriverMetrics counters;
    private final CommandQueue commands;
    private final TransmitBatcher batcher;

    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final DatagramView views = new DatagramView();
    private final Runnable drainTask = this::runQueuedPass;
    private final Runnable continueTask = this::runContinuation;
    private final Runnable timerTask = this::runTimer;

    private ChannelHandlerContext ctx;
    private EventLoop loop;
    private boolean inPass;
    private boolean passAgain;
    private boolean continuationQueued;
    private boolean readSomething;
    private ScheduledFuture<?> timer;
    private long timerDeadlineNs = Long.MAX_VALUE;
    /** An empty datagram waiting for Netty to send what came before it; null when none. */
    private InetSocketAddress heldEmptyTarget;

    EndpointHandler(SansIoEndpoint endpoint, DriverOptions options, Consumer<EndpointEvent> events,
            DriverMetrics counters, CommandQueue commands, TransmitBatcher batcher, String name) {
        this.cycle = new DutyCycle(endpoint, events, counters, commands, LOG, name,
                "epoll driver event loop on " + name);
        this.options = options;
        this.counters = counters;
        this.commands = commands;
        this.batcher = batcher;
    }

    // ---- any thread -------------------------------------------------------------------------------------------

    /** Queues a command and makes sure one drain task is on its way; any thread. */
    void submit(Consumer<? super SansIoEndpoint> command) {
        commands.offer(command);
        // Pairs with runQueuedPass, which clears the flag before polling: either it sees our command or we see
        // the flag clear and queue another drain.
        if (drainQueued.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                throw commands.closed();
            }
        }
    }

    /** Stops running commands and passes; the close task then tears down. Any thread. */
    void requestStop() {
        cycle.stop();
    }

    // ---- Netty callbacks (loop thread) ------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        loop = context.channel().eventLoop();
    }

    /**
     * One datagram. With UDP_GRO one read may return up to 64 datagrams coalesced by the kernel; Netty 4.2.18
     * already cuts them apart (EpollDatagramChannel slices the read by the segment size the kernel reports in its
     * UDP_GRO control message and fires one packet per slice), so each arrives here alone.
     */
    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            receive(packet);
        } finally {
            packet.release();
        }
    }

    private void receive(DatagramPacket packet) {
        if (!cycle.isRunning()) {
            return;
        }
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        // The 64 KiB read buffer holds any UDP datagram and any GRO batch of the kernel's default gro_max_size, so
        // nothing arrives cut; in recvmmsg mode a slot holds maxDatagramBytes + 1, so a datagram that fills it was
        // larger than allowed. Either way: over the limit is dropped, never passed on cut.
        if (length > options.maxDatagramBytes()) {
            counters.increment(DriverMetrics.RECEIVE_TRUNCATIONS);
            return;
        }
        // The view shares the pooled memory; the endpoint reads it between position and limit during the call only.
        ByteBuffer view = views.of(content);
        counters.increment(DriverMetrics.DATAGRAMS_RECEIVED);
        counters.add(DriverMetrics.BYTES_RECEIVED, length);
        readSomething = true;
        cycle.handleDatagram(packet.sender(), view, System.nanoTime());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (readSomething) {
            readSomething = false;
            counters.increment(DriverMetrics.READ_BURSTS);
        }
        pass();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            pass();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        cycle.haltIfFatal(cause);
        // Netty reports failed receives here (sends fail their own promise). One socket serves many peers, so
        // nothing here is fatal: count and go on, like the NIO driver.
        cycle.receiveFailed(cause);
    }

    // ---- the pass (loop thread) -------------------------------------------------------------------------------

    private void runQueuedPass() {
        drainQueued.set(false);
        pass();
    }

    private void runContinuation() {
        continuationQueued = false;
        pass();
    }

    private void runTimer() {
        timer = null;
        timerDeadlineNs = Long.MAX_VALUE;
        pass();
    }

    /**
     * Commands, due timers, a send burst and events; then the next wake-up. Re-entrant calls (a flush inside the
     * pass makes the channel writable again, firing channelWritabilityChanged) only ask for another step.
     */
    void pass() {
        if (!cycle.isRunning()) {
            return;
        }
        if (inPass) {
            passAgain = true;
            return;
        }
        inPass = true;
        counters.increment(DriverMetrics.WAKEUPS);
        try {
            boolean moreWork = false;
            int steps = 0;
            do {
                passAgain = false;
                moreWork = step();
            } while (passAgain && cycle.isRunning() && ++steps < MAX_STEPS_PER_PASS);
            if (cycle.isRunning()) {
                scheduleNext(moreWork || passAgain);
            }
        } finally {
            inPass = false;
        }
    }

    /** One step; true if a bound stopped it with work left. */
    private boolean step() {
        cycle.beginStep();
        boolean moreWork = cycle.runCommands();
        cycle.clearStrayInterrupt();
        long nowNs = cycle.runTimersIfDue();
        moreWork |= transmit(nowNs);
        moreWork |= cycle.deliverEvents();
        return moreWork;
    }

    /**
     * Takes what the endpoint releases at {@code nowNs} into Netty, batching for GSO, and flushes once; stops early
     * while the channel is unwritable (Netty holds more than the high water mark: the socket buffer is full), to be
     * resumed by channelWritabilityChanged, so no datagram is dropped for lack of room. True only when the burst
     * bound stopped it.
     */
    private boolean transmit(long nowNs) {
        if (heldEmptyTarget != null) {
            if (!batcher.sendEmpty(ctx, heldEmptyTarget)) {
                return false;
            }
            heldEmptyTarget = null;
        }
        ByteBuffer scratch = batcher.scratch();
        int burst = options.maxDatagramsPerWakeup();
        try {
            for (int i = 0; i < burst; i++) {
                if (!ctx.channel().isWritable() && !flushRestoresWritability()) {
                    return false;
                }
                InetSocketAddress target = cycle.pollTransmit(scratch, nowNs);
                if (target == null) {
                    return false;
                }
                int length = scratch.remaining();
                if (cycle.dropIfOversized(length, options.maxDatagramBytes())) {
                    continue;
                }
                if (length == 0) {
                    batcher.writePending(ctx);
                    ctx.flush();
                    if (!batcher.sendEmpty(ctx, target)) {
                        heldEmptyTarget = target;
                        counters.increment(DriverMetrics.SEND_BLOCKED);
                        return false;
                    }
                    continue;
                }
                batcher.add(ctx, target);
            }
            return true;
        } finally {
            batcher.writePending(ctx);
            ctx.flush();
        }
    }

    /** Flushes what Netty holds; true if that made room, false (counted) if the socket stays full. */
    private boolean flushRestoresWritability() {
        batcher.writePending(ctx);
        ctx.flush();
        if (ctx.channel().isWritable()) {
            return true;
        }
        counters.increment(DriverMetrics.SEND_BLOCKED);
        return false;
    }

    /**
     * After a pass: run again soon if a bound cut it short, else arm the timer for the endpoint's next deadline.
     * Netty waits on a timerfd, so a deadline is met to the microsecond without polling ahead of it.
     */
    private void scheduleNext(boolean moreWork) {
        if (moreWork) {
            if (!continuationQueued) {
                continuationQueued = true;
                loop.execute(continueTask);
            }
            return;
        }
        long nowNs = System.nanoTime();
        long deadlineNs = cycle.nextDeadlineNs(nowNs);
        if (heldEmptyTarget != null) {
            deadlineNs = Math.min(deadlineNs, nowNs + NANOS_PER_MILLI); // no event announces room for it
        }
        if (deadlineNs == Long.MAX_VALUE) {
            return; // an armed timer stays: it fires once, finds nothing due and re-arms nothing
        }
        // The anti-spin rule (DutyCycle#mustNotSpin): a held send is woken by writability, not by polling.
        if (cycle.mustNotSpin(deadlineNs)) {
            deadlineNs = Math.max(deadlineNs, nowNs + NANOS_PER_MILLI);
        }
        arm(deadlineNs, nowNs);
    }

    /** Arms the one timer for {@code deadlineNs} unless it already fires no later; moves it earlier if needed. */
    private void arm(long deadlineNs, long nowNs) {
        if (timer != null) {
            if (timerDeadlineNs <= deadlineNs) {
                return; // fires first; that pass re-arms for the later deadline
            }
            timer.cancel(false);
        }
        timerDeadlineNs = deadlineNs;
        long delayNs = deadlineNs - nowNs;
        if (delayNs < 0 && deadlineNs > nowNs) {
            delayNs = Long.MAX_VALUE; // the subtraction overflowed: the deadline is very far away
        }
        timer = loop.schedule(timerTask, Math.max(0, delayNs), TimeUnit.NANOSECONDS);
    }

    // ---- shutdown (loop thread) -------------------------------------------------------------------------------

    /** The last act on the loop: no more passes, queued calls fail, nothing pooled is left behind. */
    void shutDown() {
        cycle.stop();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        batcher.discard();
        cycle.shutDown();
    }
}
