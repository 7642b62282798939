package io.udpix.engine.connection;

import io.udpix.engine.cc.Bbr;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferStarted;
import io.udpix.engine.recovery.RttEstimator;
import io.udpix.engine.recovery.SentPacket;
import io.udpix.engine.stream.StreamTrace;
import io.udpix.engine.trace.Tracer;
import io.udpix.wire.FrameType;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One connection's tracing hooks (docs/QLOG.md). The engine calls them unconditionally; when tracing is off the
 * connection holds {@link #OFF} and each hook is one predictable branch on a final field, with no allocation.
 * When on, they turn engine state into primitive {@link Tracer} records; RTT, window, congestion state and path MTU
 * are recorded only when they changed. Times never go backwards within a connection's trace.
 */
public final class ConnectionTrace {
    /** The hooks of a connection that is not traced. */
    static final ConnectionTrace OFF = new ConnectionTrace(null, null);
    /** Bound on frames walked in one received packet (each frame is at least one byte of a datagram). */
    private static final int MAX_FRAMES_WALKED = 65536;

    private final boolean on;
    private final Connection c;
    private final Tracer tracer;
    private long lastTimeNs = Long.MIN_VALUE;
    private long droppedRecords;
    private long srttNs = -1;
    private long minRttNs = -1;
    private long latestRttNs = -1;
    private long cwndBytes = -1;
    private long pacingBytesPerSecond = -1;
    private long inFlightBytes = -1;
    private int ccState = -1;
    private int datagramBytes = -1;
    private boolean closed;
    /** The frame-stream hook: {@link StreamTrace#OFF} when untraced, so stream code needs no branch of its own. */
    private final StreamTrace streams;

    private ConnectionTrace(Connection c, Tracer tracer) {
        this.on = tracer != null;
        this.c = c;
        this.tracer = tracer;
        this.streams = on ? this::streamFrame : StreamTrace.OFF;
    }

    /** Where the connection's streams report each frame's fate (queued, dropped, abandoned, repaired, late...). */
    StreamTrace streams() {
        return streams;
    }

    private void streamFrame(int kind, long streamId, boolean incoming, long frameNumber, long detail, long nowNs) {
        put(Tracer.STREAM, nowNs, false, kind, streamId, incoming ? 1 : 0, frameNumber, detail, 0, 0, 0);
    }

    /** The hooks for {@code c}: {@link #OFF} without a tracer, else a trace whose first record says who the peer is. */
    static ConnectionTrace of(Connection c, Tracer tracer, long nowNs) {
        if (tracer == null) {
            return OFF;
        }
        ConnectionTrace t = new ConnectionTrace(c, tracer);
        InetSocketAddress peer = c.peer;
        long ipv4 = peer.getAddress() instanceof Inet4Address a4 ? Integer.toUnsignedLong(
                java.nio.ByteBuffer.wrap(a4.getAddress()).getInt()) : 0;
        t.put(Tracer.CONNECTION_STARTED, nowNs, false, c.client ? 1 : 0, ipv4, peer.getPort(), 0, 0, 0, 0, 0);
        return t;
    }

    /** Whether this connection is traced. */
    boolean on() {
        return on;
    }

    /** {@code events}, or (when traced) a sink that records transfer, stream and connection events first. */
    EventSink wrap(EventSink events) {
        if (!on) {
            return events;
        }
        return (event, essential) -> {
            onEvent(event);
            events.emit(event, essential);
        };
    }

    /** A packet was just sent (called by Recovery once the packet is filled in). */
    void packetSent(SentPacket p, long nowNs, long bytesInFlight) {
        if (!on) {
            return;
        }
        long detail = p.chunkTransferId >= 0 ? p.chunkTransferId : p.streamId;
        long where = p.chunkTransferId >= 0 ? p.chunkOffset : p.streamFrameNumber;
        long length = p.chunkTransferId >= 0 ? p.chunkLength : Math.max(p.streamFragment, p.streamParityGroup);
        put(Tracer.PACKET_SENT, nowNs, false, p.packetNumber, p.sizeBytes, frameMask(p), detail, where, length,
                bytesInFlight, 0);
    }

    /**
     * A packet was received and validated: it starts at {@code start}, {@code buf[framesStart, end)} holds its
     * plaintext frames.
     */
    void packetReceived(ByteBuffer buf, int start, int framesStart, int end, long packetNumber, long nowNs) {
        if (!on) {
            return;
        }
        int sizeBytes = end - start + c.protection.overheadBytes(); // as ConnectionStats.bytesReceived counts it
        long mask = 0;
        int off = framesStart;
        for (int n = 0; off < end && n < MAX_FRAMES_WALKED; n++) {
            int type = buf.get(off) & 0xFF;
            int len = FrameType.check(type, buf, off, end);
            if (len <= 0) {
                break; // validated before; cannot happen, but a trace never throws
            }
            mask |= type < 63 ? 1L << type : Tracer.CONTROL_BIT;
            off += len;
        }
        put(Tracer.PACKET_RECEIVED, nowNs, false, packetNumber, sizeBytes, mask, 0, 0, 0, 0, 0);
    }

    /** An ack-eliciting packet was declared lost (counted in ConnectionStats.packetsLost). */
    void packetLost(SentPacket p, long nowNs) {
        if (!on) {
            return;
        }
        put(Tracer.PACKET_LOST, nowNs, false, p.packetNumber, p.sizeBytes, frameMask(p), p.mtuProbe ? 1 : 0, 0, 0,
                0, 0);
    }

    /** After an ACK or a loss timer: records RTT, window, congestion state and path MTU where they changed. */
    void metrics(long nowNs) {
        if (!on) {
            return;
        }
        RttEstimator rtt = c.recovery.rtt();
        long srtt = rtt.rttNsSmoothed();
        long minRtt = rtt.minRttNs();
        long latest = rtt.latestRttNs();
        long cwnd = c.cc.congestionWindowBytes();
        long pacing = c.cc.pacingRateBytesPerSecond();
        long inFlight = c.recovery.bytesInFlight();
        if (srtt != srttNs || minRtt != minRttNs || latest != latestRttNs || cwnd != cwndBytes
                || pacing != pacingBytesPerSecond || inFlight != inFlightBytes) {
            srttNs = srtt;
            minRttNs = minRtt;
            latestRttNs = latest;
            cwndBytes = cwnd;
            pacingBytesPerSecond = pacing;
            inFlightBytes = inFlight;
            put(Tracer.METRICS, nowNs, false, srtt, minRtt, latest, rtt.rttNsVar(), inFlight, cwnd, pacing,
                    c.recovery.ptoCount());
        }
        int state = c.cc instanceof Bbr bbr ? bbr.mode().ordinal() : -1;
        if (state != ccState) {
            put(Tracer.CONGESTION_STATE, nowNs, false, ccState, state, 0, 0, 0, 0, 0, 0);
            ccState = state;
        }
        int size = c.datagramBytes();
        if (size != datagramBytes) {
            put(Tracer.PMTU, nowNs, false, datagramBytes, size, 0, 0, 0, 0, 0, 0);
            datagramBytes = size;
        }
    }

    private void onEvent(EndpointEvent event) {
        long t = lastTimeNs;
        if (event instanceof TransferStarted e) {
            put(Tracer.TRANSFER, t, false, Tracer.OPENED, e.transferId(), e.incoming() ? 1 : 0,
                    e.info().sizeBytes(), 0, e.info().kind(), 0, 0);
        } else if (event instanceof TransferCompleted e) {
            put(Tracer.TRANSFER, t, false, Tracer.COMPLETED, e.transferId(), e.incoming() ? 1 : 0,
                    e.info().sizeBytes(), e.elapsedNs(), e.info().kind(), 0, 0);
        } else if (event instanceof TransferFailed e) {
            put(Tracer.TRANSFER, t, false, Tracer.FAILED, e.transferId(), e.incoming() ? 1 : 0, e.errorCode(), 0, 0,
                    0, 0);
        } else if (event instanceof FrameReceived e) {
            put(Tracer.STREAM, t, false, Tracer.DELIVERED, e.streamId(), 1, e.frameNumber(), e.latencyNs(),
                    e.fecRecovered() ? 1 : 0, e.data().length, 0);
        } else if (event instanceof StreamOpened e) {
            put(Tracer.STREAM, t, false, Tracer.OPENED, e.streamId(), e.incoming() ? 1 : 0, 0, 0, 0, 0, 0);
        } else if (event instanceof StreamEnded e) {
            put(Tracer.STREAM, t, false, Tracer.COMPLETED, e.streamId(), e.incoming() ? 1 : 0, e.errorCode(), 0, 0,
                    0, 0);
        } else if (event instanceof ConnectionClosed e) {
            closed(e.errorCode(), 0, t);
        }
    }

    /** The connection is closing: by this side ({@code local}) or the peer's CLOSE. Its trace ends here. */
    void closing(int code, boolean local, long nowNs) {
        if (on) {
            closed(code, local ? 1 : 2, nowNs);
        }
    }

    private void closed(int code, int owner, long nowNs) {
        if (closed) {
            return;
        }
        // Essential: may use the ring's reserve, so the reader learns how many records this connection lost.
        if (!tracer.record(Tracer.CONNECTION_CLOSED, c.localId, time(nowNs), true, code, droppedRecords, owner, 0,
                0, 0, 0, 0)) {
            droppedRecords++;
        }
        closed = true; // nothing after the closing record: the writer has closed the file
    }

    private static long frameMask(SentPacket p) {
        long mask = 0;
        if (p.largestAckCarried >= 0) {
            mask |= 1L << FrameType.ACK;
        }
        if (p.chunkTransferId >= 0) {
            mask |= 1L << FrameType.CHUNK;
        }
        if (p.streamFragment >= 0) {
            mask |= 1L << FrameType.FRAGMENT;
        }
        if (p.streamParityGroup >= 0) {
            mask |= 1L << FrameType.PARITY;
        }
        if (p.controlCount > 0 || p.controlMask != 0) {
            mask |= Tracer.CONTROL_BIT;
        }
        if (p.mtuProbe) {
            mask |= 1L << FrameType.PING | 1L << FrameType.PADDING;
        }
        return mask;
    }

    private long time(long nowNs) {
        if (nowNs > lastTimeNs) {
            lastTimeNs = nowNs;
        }
        return lastTimeNs;
    }

    private void put(int type, long nowNs, boolean essential, long a, long b, long cc, long d, long e, long f,
            long g, long h) {
        if (closed) {
            return;
        }
        if (!tracer.record(type, c.localId, time(nowNs), essential, a, b, cc, d, e, f, g, h)) {
            droppedRecords++;
        }
    }
}
