package io.udpix.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One bound UDP socket as the {@link DriverLoop} sees it: everything a driver does that depends on how the
 * socket is reached (JDK NIO, Netty epoll), and nothing else. The loop owns the duty cycle (commands, timers,
 * transmit, receive, events, faults); a transport only binds, receives a batch, sends a batch (one GSO send where
 * it can), sleeps until a deadline or a wake-up, and closes. It also supplies the loop's thread
 * ({@link #start}): NIO a thread of its own, epoll Netty's single event-loop thread (whose epoll_wait is the only
 * place Netty's GSO/GRO datagram paths can be driven from).
 *
 * <p>All methods but {@link #wakeUp}, {@link #localAddress} and {@link #close} run on the loop thread only.
 * Counting is shared: the loop counts received datagrams, bytes and read bursts; a transport counts what only it
 * sees (send calls, sent datagrams and bytes once the kernel took them, send errors by cause, truncations, GSO,
 * wake-ups) in the {@link DriverMetrics} it was given.
 */
public interface Transport {

    /** Receives one datagram from {@link #receive}; the buffer is borrowed for the call only. */
    @FunctionalInterface
    interface ReceiveSink {
        /** One datagram from {@code from}, between the buffer's position and limit. */
        void accept(InetSocketAddress from, ByteBuffer datagram);
    }

    /**
     * What a transport runs on its thread: the {@link DriverLoop} (tests substitute a probe). A transport with a
     * thread of its own calls {@link #run} on it; an event-driven one calls {@link #step} at each wake-up.
     */
    interface Agent extends Runnable {
        /** One duty cycle, ending in {@link Transport#await}; a call during a step only asks for another one. */
        void step();

        /** False once the agent was asked to stop. */
        boolean isRunning();

        /**
         * A datagram an event-driven transport hands on during its read burst instead of from {@link #receive}
         * (epoll: Netty reads, the loop must not hold its pooled buffers); borrowed for the call. The agent counts
         * it with its next step's receive batch, which follows the burst.
         */
        void received(InetSocketAddress from, ByteBuffer datagram);

        /** A failed receive (counted, never fatal: one socket serves many peers), or a fatal error (halts). */
        void receiveFailed(Throwable cause);
    }

    /** The driver kind, as {@link Drivers#start} names it ({@code "nio"}, {@code "epoll"}). */
    String kind();

    /** The bound address, with the actual port when 0 was asked for; any thread. */
    InetSocketAddress localAddress();

    /**
     * Starts calling {@link Agent#run} (NIO: on a new thread of its own) or {@link Agent#step} (epoll: on its event
     * loop, at each wake-up) for {@code agent}; the agent's first step runs before the first datagram is read.
     * Returns the loop thread.
     */
    Thread start(Agent agent) throws IOException;

    /**
     * Hands up to {@code maxDatagrams} received datagrams to {@code sink}, without blocking; returns how many (0 for
     * a transport that pushes them to {@link Agent#received} as they are read).
     * Datagrams over the driver's {@code maxDatagramBytes} are dropped and counted as truncations, never handed
     * on cut. A failed receive is reported to the agent ({@link Agent#receiveFailed}) and ends the batch.
     *
     * @throws java.nio.channels.ClosedChannelException if the socket was closed under the loop
     */
    int receive(ReceiveSink sink, int maxDatagrams) throws IOException;

    /** Where the endpoint writes the next datagram ({@code pollTransmit}): room for any UDP payload. */
    ByteBuffer sendBuffer();

    /**
     * Adds the datagram now in {@link #sendBuffer()} for {@code target} to the batch being sent (consecutive
     * same-size datagrams to one target become one GSO send where the transport has it). False when the socket is
     * full: nothing was taken, the datagram stays in the buffer, and the transport wakes the loop when there is
     * room (or within a millisecond). A datagram the kernel refuses for another reason is counted and dropped.
     *
     * @throws java.nio.channels.ClosedChannelException if the socket was closed under the loop
     */
    boolean send(InetSocketAddress target) throws IOException;

    /** Hands the batch built by {@link #send} to the kernel. */
    void flush();

    /**
     * Ends a step: sleeps (or, for an event-driven transport, arranges to be called again) until
     * {@code deadlineNs} on {@code System.nanoTime()}'s scale, a datagram, room to send or a {@link #wakeUp}.
     * {@link Long#MIN_VALUE} asks for another step at once after polling the socket; {@link Long#MAX_VALUE} means no
     * deadline. {@code workQueued} is checked after the transport is ready to be woken, so a command queued in
     * between is never slept through.
     */
    void await(long deadlineNs, java.util.function.BooleanSupplier workQueued) throws IOException;

    /**
     * How far ahead of a deadline the loop polls rather than sleeps: a transport whose sleep is coarse (NIO's
     * selector counts whole milliseconds) asks for {@link DriverOptions#spinThresholdNs}; one with a precise timer
     * (epoll's timerfd) for 0. The anti-spin rule overrides it.
     */
    long pollAheadNs();

    /** Makes the loop run a step soon (after {@link DriverLoop#submit}); false once closed. Any thread. */
    boolean wakeUp();

    /** Closes the socket and whatever the transport holds (pooled buffers, timers). Idempotent; any thread. */
    void close();
}
