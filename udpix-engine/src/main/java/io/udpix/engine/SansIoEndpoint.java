package io.udpix.engine;

import java.net.InetSocketAddress;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.metrics.Counters;
import java.nio.ByteBuffer;

/**
 * A protocol endpoint with no I/O of its own: drivers and the simulator feed it datagrams and time, and take
 * datagrams to send and the next deadline from it.
 *
 * <p>Contract: single-threaded; {@code nowNs} never decreases between calls; no method throws on bad input.
 */
public interface SansIoEndpoint {

    /**
     * Hands the endpoint one received datagram. The endpoint reads {@code datagram} between its position and
     * limit during the call only and keeps no reference to it.
     */
    void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs);

    /**
     * Writes the next datagram to send into {@code dst} (cleared by the callee; on return position = 0 and
     * limit = the datagram's length) and returns where to send it; returns {@code null}, leaving {@code dst}
     * unspecified, when nothing may be sent at {@code nowNs} (nothing to send, or pacing/congestion holds it).
     * {@code dst} must have capacity of at least 65,507 bytes.
     */
    InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs);

    /** The earliest time at which {@link #handleTimeout} or {@link #pollTransmit} has work; Long.MAX_VALUE if none. */
    long nextDeadlineNs();

    /** Runs the timers that are due at {@code nowNs} (loss detection, acks, idle, keep-alive, pacing release). */
    void handleTimeout(long nowNs);

    /** The next event for the application, or {@code null} when none is queued. */
    EndpointEvent pollEvent();

    /**
     * The registry of this endpoint's figures, where a driver adds its own group (driver figures beside the
     * engine's, read by every surface from one place); null when the endpoint keeps none.
     */
    default Counters counters() {
        return null;
    }
}
