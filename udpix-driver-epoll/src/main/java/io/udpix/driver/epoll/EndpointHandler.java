package io.udpix.driver.epoll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.FatalErrors;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The endpoint's side of the channel, all on the event loop thread: hands each received datagram to the endpoint,
 * and after each read burst, command batch, timer or writability change runs one pass (commands, due timers, a
 * bounded send burst, events), then arms one timer for the endpoint's next deadline.
 */
final class EndpointHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(EpollDriver.class.getName());
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** A bound on events delivered per pass, so a chatty endpoint cannot starve I/O. */
    private static final int MAX_EVENTS_PER_PASS = 4096;
    /** A bound on passes re-run at once because a writability change arrived during one. */
    private static final int MAX_STEPS_PER_PASS = 4;

    private final SansIoEndpoint endpoint;
    private final DriverOptions options;
    private final Consumer<EndpointEvent> events;
    private final DriverMetrics counters;
    private final CommandQueue commands;
    private final TransmitBatcher batcher;
    private final String name;

    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final DatagramView views = new DatagramView();
    private final Runnable drainTask = this::runQueuedPass;
    private final Runnable continueTask = this::runContinuation;
    private final Runnable timerTask = this::runTimer;
    private volatile boolean running = true;

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
    /** The time the endpoint's timers ran in this step; MIN_VALUE if they did not. */
    private long timersRanAtNs;
    private boolean endpointFaulted;

    EndpointHandler(SansIoEndpoint endpoint, DriverOptions options, Consumer<EndpointEvent> events,
            DriverMetrics counters, CommandQueue commands, TransmitBatcher batcher, String name) {
        this.endpoint = endpoint;
        this.options = options;
        this.events = events;
        this.counters = counters;
        this.commands = commands;
        this.batcher = batcher;
        this.name = name;
    }

    // ---- any thread -------------------------------------------------------------------------------------------

    /** Queues a command and makes sure one drain task is on its way; any thread. */
    void submit(Consumer<SansIoEndpoint> command) {
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
        commands.stopAccepting();
        running = false;
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
        if (!running) {
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
        try {
            endpoint.handleDatagram(packet.sender(), view, System.nanoTime());
        } catch (RuntimeException | Error e) {
            endpointFailed("handleDatagram", e);
        }
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
        rethrowIfFatal(cause);
        // Netty reports failed receives here (sends fail their own promise). One socket serves many peers, so
        // nothing here is fatal: count and go on, like the NIO driver.
        if (cause instanceof PortUnreachableException) {
            counters.increment(DriverMetrics.ICMP_ERRORS);
            return;
        }
        long count = counters.add(DriverMetrics.RECEIVE_ERRORS, 1);
        Rarely.log(LOG, count, "receive failed on " + name, cause);
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
        if (!running) {
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
            } while (passAgain && running && ++steps < MAX_STEPS_PER_PASS);
            if (running) {
                scheduleNext(moreWork || passAgain);
            }
        } finally {
            inPass = false;
        }
    }

    /** One step; true if a bound stopped it with work left. */
    private boolean step() {
        counters.increment(DriverMetrics.LOOP_PASSES);
        timersRanAtNs = Long.MIN_VALUE;
        endpointFaulted = false;
        boolean moreWork = runCommands();
        clearStrayInterrupt();
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
        moreWork |= transmit(nowNs);
        moreWork |= deliverEvents();
        return moreWork;
    }

    /** Runs queued commands; true if the per-pass bound stopped it with commands left. */
    private boolean runCommands() {
        for (int i = 0; i < commands.capacity(); i++) {
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

    /** A command or the event consumer may interrupt the thread; Netty's loop must not inherit that. */
    private void clearStrayInterrupt() {
        if (Thread.interrupted()) {
            LOG.log(System.Logger.Level.WARNING, "the udpix driver thread on {0} was interrupted; ignored (use "
                    + "close() to stop it)", name);
        }
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
                InetSocketAddress target;
                try {
                    target = endpoint.pollTransmit(scratch, nowNs);
                } catch (RuntimeException | Error e) {
                    endpointFailed("pollTransmit", e);
                    return false;
                }
                if (target == null) {
                    return false;
                }
                int length = scratch.remaining();
                if (length > options.maxDatagramBytes()) {
                    long count = counters.sendErrors(DriverMetrics.SendErrorCause.OVERSIZED, 1);
                    Rarely.log(LOG, count, "the endpoint produced a " + length + "-byte datagram, over "
                            + "maxDatagramBytes " + options.maxDatagramBytes() + "; dropped", null);
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
        long deadlineNs = nextDeadlineNs(nowNs);
        if (heldEmptyTarget != null) {
            deadlineNs = Math.min(deadlineNs, nowNs + NANOS_PER_MILLI); // no event announces room for it
        }
        if (deadlineNs == Long.MAX_VALUE) {
            return; // an armed timer stays: it fires once, finds nothing due and re-arms nothing
        }
        // The endpoint already got this deadline's timers and transmit at timersRanAtNs and still reports it due:
        // what is left is a send the full socket refused (writability wakes us) or an endpoint that claims work it
        // does not do. Either way, wait a millisecond rather than spin. Same after an endpoint fault.
        if (endpointFaulted || (timersRanAtNs != Long.MIN_VALUE && deadlineNs <= timersRanAtNs)) {
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

    private long nextDeadlineNs(long nowNs) {
        try {
            return endpoint.nextDeadlineNs();
        } catch (RuntimeException | Error e) {
            endpointFailed("nextDeadlineNs", e);
            return nowNs + NANOS_PER_MILLI;
        }
    }

    // ---- shutdown (loop thread) -------------------------------------------------------------------------------

    /** The last act on the loop: no more passes, queued calls fail, nothing pooled is left behind. */
    void shutDown() {
        running = false;
        commands.stopAccepting();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        batcher.discard();
        int dropped = commands.rejectAll();
        if (dropped > 0) {
            LOG.log(System.Logger.Level.DEBUG, "{0} queued commands dropped at close of {1}", dropped, name);
        }
    }

    // ---- faults -----------------------------------------------------------------------------------------------

    private void endpointFailed(String method, Throwable e) {
        rethrowIfFatal(e);
        endpointFaulted = true;
        long count = counters.add(DriverMetrics.ENDPOINT_ERRORS, 1);
        Rarely.log(LOG, count, "the endpoint threw from " + method + " on " + name + "; the driver keeps going", e);
    }

    private void callbackFailed(String who, Throwable e) {
        rethrowIfFatal(e);
        long count = counters.add(DriverMetrics.CALLBACK_ERRORS, 1);
        Rarely.log(LOG, count, who + " threw on the udpix driver thread of " + name + "; the driver keeps going", e);
    }

    /** The fail-fast rule: a VirtualMachineError ends the process (see {@link FatalErrors}), never a zombie. */
    private void rethrowIfFatal(Throwable e) {
        FatalErrors.haltIfFatal(e, "epoll driver event loop on " + name);
    }
}
