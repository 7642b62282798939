package io.udpix.engine.trace;

/**
 * Where a connection's trace records go (docs/QLOG.md). Sans-I/O: the engine calls it on its own thread with
 * primitives only, so an implementation can copy them into preallocated memory without allocating; it must never
 * block or touch the file system. {@code null} in {@code EndpointConfig.tracer} (the default) turns tracing off.
 *
 * <p>The meaning of {@code a..h} depends on {@code type}, one of the constants below.
 */
public interface Tracer {
    /** A connection's first record: a = 1 client / 0 server, b = peer IPv4 address (0 if IPv6), c = peer port. */
    int CONNECTION_STARTED = 1;
    /** a = packet number, b = size in bytes, c = frame-type mask (bit {@code 1 << FrameType}, {@link #CONTROL_BIT}),
     * d = chunk transfer id or stream id (-1 none), e = chunk offset or frame number, f = chunk length or fragment,
     * g = bytes in flight after sending. */
    int PACKET_SENT = 2;
    /** a = packet number, b = size in bytes, c = frame-type mask. */
    int PACKET_RECEIVED = 3;
    /** a = packet number, b = size in bytes, c = frame-type mask of what it carried, d = 1 for an MTU probe. */
    int PACKET_LOST = 4;
    /** a = smoothed RTT ns, b = min RTT ns, c = latest RTT ns, d = RTT variation ns, e = bytes in flight,
     * f = congestion window bytes, g = pacing rate bytes/s, h = PTO count. */
    int METRICS = 5;
    /** a = old state code, b = new state code (ordinal of {@code Bbr.Mode}; -1 unknown). */
    int CONGESTION_STATE = 6;
    /** a = old datagram size, b = new datagram size (RFC 8899). */
    int PMTU = 7;
    /** a = {@link #OPENED}/{@link #COMPLETED}/{@link #FAILED}, b = transfer id, c = 1 incoming, d = size bytes
     * (or error code when failed), e = duration ns when completed, f = item kind. */
    int TRANSFER = 8;
    /** a = {@link #OPENED}/{@link #COMPLETED} (ended)/{@link #DELIVERED}, b = stream id, c = 1 incoming,
     * d = frame number (delivered) or error code (ended), e = latency ns (delivered), f = 1 FEC-recovered, g = size;
     * or a = one of the frame kinds {@link #QUEUED}..{@link #LOST}, b = stream id, c = 1 incoming, d = frame
     * number (-1 when not numbered yet), e = detail (see {@code StreamTrace.frame}). */
    int STREAM = 9;
    /** The last record: a = error code, b = records this connection could not put in the ring (dropped),
     * c = who closed: 1 this side, 2 the peer, 0 unknown (idle timeout, handshake failure, reset). */
    int CONNECTION_CLOSED = 10;

    /** Sub-kinds of {@link #TRANSFER} and {@link #STREAM}. */
    int OPENED = 0;
    /** Completed (transfer) or ended (stream). */
    int COMPLETED = 1;
    /** Failed. */
    int FAILED = 2;
    /** A frame delivered to the application. */
    int DELIVERED = 3;
    /** Sender: a frame handed to the stream (it waits to go; a newer one may replace it). */
    int QUEUED = 4;
    /** Sender: a frame dropped before it started to go (replaced, too late, too large for the path). */
    int DROPPED_AT_SOURCE = 5;
    /** Sender: a started frame given up (ABANDON): it could not arrive in time. */
    int ABANDONED = 6;
    /** Sender: a lost fragment sent again. */
    int REPAIRED = 7;
    /** Sender: a parity fragment sent. */
    int PARITY_SENT = 8;
    /** Receiver: a frame complete (or abandoned in part) only after its deadline: never shown. */
    int LATE = 9;
    /** Receiver: a run of frames of which nothing usable arrived by their deadlines. */
    int LOST = 10;

    /** Bit in the frame-type masks for control frames whose exact types a sent packet does not record. */
    long CONTROL_BIT = 1L << 63;

    /**
     * Records one event; false when it could not be kept (a full ring), which the caller counts. {@code essential}
     * records (the closing one) may use a small reserve that ordinary records leave free.
     */
    boolean record(int type, long connectionId, long timeNs, boolean essential, long a, long b, long c, long d,
            long e, long f, long g, long h);
}
