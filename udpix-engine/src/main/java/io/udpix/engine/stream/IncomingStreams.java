package io.udpix.engine.stream;

import io.udpix.engine.DropReason;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.recovery.SentPacket;
import io.udpix.engine.util.LongObjectMap;
import io.udpix.engine.util.RangeSet;
import io.udpix.wire.AbandonFrame;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.ParityFrame;
import io.udpix.wire.StreamCloseFrame;
import io.udpix.wire.StreamOpenFrame;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame streams a connection receives (docs/PROTOCOL.md section 5.8): opens them within the limits, routes
 * fragments, parity, ABANDON and the sender's STREAM_CLOSE to them, runs their deadlines, and keeps the receiver's
 * own STREAM_CLOSE frames (refusals and stops) until they are acknowledged. Sans-I/O and bounded: at most the
 * configured streams, {@link #MAX_ENDED_RANGES} ranges of ended ids, {@link #MAX_STOPS} STREAM_CLOSE frames waiting.
 */
public final class IncomingStreams implements IncomingStream.Delivery {
    /** Ranges of ended stream ids remembered so late packets are recognised (ids are sequential: this stays tiny). */
    public static final int MAX_ENDED_RANGES = 1024;
    /** Receiver STREAM_CLOSE frames kept until acknowledged; beyond it the oldest is forgotten (counted). */
    public static final int MAX_STOPS = 256;
    /**
     * Reserved from the reassembly memory for each open stream: its bookkeeping (assembly table, latency
     * histogram), rounded up; frames are charged on top as they arrive.
     */
    public static final long STREAM_BASE_BYTES = 32 * 1024;

    /** What the connection provides. */
    public interface Host {
        /** Local connection id, for events and stats. */
        long connectionId();

        /** The peer's address, for events and reasons. */
        InetSocketAddress peer();

        /** The connection's minimum RTT, Long.MAX_VALUE without a sample. */
        long minRttNs();

        /** Queues an event for the application. */
        void emit(EndpointEvent event, boolean essential);

        /** Counts a dropped frame. */
        void countDrop(DropReason reason);

        /** Where late and lost frames go when the connection is traced (docs/QLOG.md). */
        default StreamTrace streamTrace() {
            return StreamTrace.OFF;
        }
    }

    /** A receiver STREAM_CLOSE to send (again) until acknowledged. */
    private static final class Stop {
        final long streamId;
        final int code;
        final byte[] reason;
        boolean pending = true;

        Stop(long streamId, int code, String reason) {
            this.streamId = streamId;
            this.code = code;
            this.reason = StreamCloseFrame.encodeReason(reason);
        }
    }

    private final Host host;
    private final StreamMemory memory;
    private final StreamLimits limits;
    /** Keyed by stream id + 1 (the map cannot hold key 0, and a peer may name stream 0). */
    private final LongObjectMap<IncomingStream> byId = new LongObjectMap<>();
    /** The same streams, for index loops (timers) without an iterator. */
    private final List<IncomingStream> order = new ArrayList<>();
    private final RangeSet ended = new RangeSet(MAX_ENDED_RANGES);
    private final List<Stop> stops = new ArrayList<>();
    private long wakeNs = Long.MAX_VALUE;

    private long unknownStreamPackets;
    private long refusedStreams;
    private long forgottenStops;
    private long deliveredFrames;

    /** Streams of one connection, taking at most what {@code limits} (this endpoint's own) allow. */
    public IncomingStreams(Host host, StreamMemory memory, StreamLimits limits) {
        this.host = host;
        this.memory = memory;
        this.limits = limits;
    }

    /** The open stream {@code streamId}, or null. */
    public IncomingStream get(long streamId) {
        return byId.get(streamId + 1);
    }

    /** Open streams. */
    public int size() {
        return order.size();
    }

    /** FRAGMENT/PARITY/ABANDON packets for streams never opened or already ended (dropped, still acknowledged). */
    public long unknownStreamPackets() {
        return unknownStreamPackets;
    }

    /** STREAM_OPENs refused (limit, memory). */
    public long refusedStreams() {
        return refusedStreams;
    }

    /** Receiver STREAM_CLOSE frames forgotten before acknowledgement because {@link #MAX_STOPS} were waiting. */
    public long forgottenStops() {
        return forgottenStops;
    }

    /** Frames delivered over all streams. */
    public long deliveredFrames() {
        return deliveredFrames;
    }

    /** Bytes of reassembly memory the streams hold now (bases and frames). */
    public long chargedBytes() {
        long sum = 0;
        for (int i = 0, n = order.size(); i < n; i++) {
            sum += STREAM_BASE_BYTES + order.get(i).chargedBytes();
        }
        return sum;
    }

    /**
     * How long the packet being read waited before it could be read (a DATA datagram the server kept until the
     * handshake's FINISH arrived, docs/PROTOCOL.md section 5.1); 0 otherwise. Its clock samples (section 5.8.3) are
     * taken at its true arrival too: a sample only lowers the minimum, so the late one cannot skew the offset.
     */
    private long arrivalLagNs;

    /** Sets {@link #arrivalLagNs} for the packet about to be read (0 after it). */
    public void arrivalLagNs(long lagNs) {
        arrivalLagNs = Math.max(0, lagNs);
    }

    // ------------------------------------------------------------------------------------------------ arriving

    /** STREAM_OPEN: a new stream within the limits, or a refusal; repeats change nothing. */
    public void onOpen(StreamOpenFrame f, long nowNs) {
        long id = f.streamId();
        IncomingStream known = get(id);
        if (known != null) {
            // Until acknowledged it rides along with the fragments; every copy carries its own send time, a clock
            // sample like any other (section 5.8.3).
            known.onClockSample(f.senderClockUs(), nowNs - arrivalLagNs);
            return;
        }
        if (ended.contains(id)) {
            return; // a late copy of one that ended or that we refused
        }
        if (order.size() >= limits.maxStreams()) {
            host.countDrop(DropReason.STREAM_LIMIT);
            refuse(id, ErrorCode.TOO_MANY_TRANSFERS, "the receiver already takes " + limits.maxStreams()
                    + " streams on this connection (its maxStreamsPerConnection); close one first");
            return;
        }
        if (!memory.tryReserve(STREAM_BASE_BYTES)) {
            refuse(id, ErrorCode.SERVER_BUSY, "the receiver is out of reassembly memory for a new stream"
                    + " (maxReassemblyBytes or this address's share, maxReassemblyBytesPerAddress); try again later");
            return;
        }
        // Section 5.8.1: the receiver clamps the budget to its own bounds again.
        long budgetNs = (long) limits.effectiveBudgetMs((long) f.latencyBudgetMs() * 1_000_000L) * 1_000_000L;
        StreamParams params = new StreamParams(StreamCodec.fromWire(f.codec()), budgetNs, f.fpsHintCenti(),
                f.width(), f.height(), f.name(), FecMode.OFF);
        IncomingStream s = new IncomingStream(id, params, limits.maxFrameBytes(), memory);
        s.trace = host.streamTrace();
        s.onClockSample(f.senderClockUs(), nowNs - arrivalLagNs);
        byId.put(id + 1, s);
        order.add(s);
        host.emit(new StreamOpened(host.connectionId(), (int) id, true, host.peer(), params), true);
    }

    /** FRAGMENT: into its stream's frame, then delivery as the rule allows. */
    public void onFragment(FragmentFrame f, ByteBuffer buf, long nowNs) {
        IncomingStream s = get(f.streamId());
        if (s == null) {
            unknown();
            return;
        }
        if (arrivalLagNs > 0) {
            s.onClockSample(f.captureUs(), nowNs - arrivalLagNs);
        }
        countOutcome(s.onFragment(f, buf, nowNs, host.minRttNs()));
        advance(s, nowNs);
    }

    /** PARITY: into its stream's frame (may rebuild a fragment), then delivery as the rule allows. */
    public void onParity(ParityFrame p, ByteBuffer buf, long nowNs) {
        IncomingStream s = get(p.streamId());
        if (s == null) {
            unknown();
            return;
        }
        if (arrivalLagNs > 0) {
            s.onClockSample(p.captureUs(), nowNs - arrivalLagNs);
        }
        countOutcome(s.onParity(p, buf, nowNs, host.minRttNs()));
        advance(s, nowNs);
    }

    /** ABANDON: frames up to N are no longer awaited. */
    public void onAbandon(AbandonFrame f, long nowNs) {
        IncomingStream s = get(f.streamId());
        if (s == null) {
            unknown();
            return;
        }
        s.onAbandon(f.frameNumber());
        advance(s, nowNs);
    }

    /** The sender's STREAM_CLOSE (not {@link StreamCloseFrame#fromReceiver}): the stream ends once accounted. */
    public void onSenderClose(StreamCloseFrame f, long nowNs) {
        IncomingStream s = get(f.streamId());
        if (s == null) {
            return; // a repeat after the stream ended, or a stream we refused: nothing to do (still acknowledged)
        }
        s.onSenderClose(f.frames(), nowNs);
        if (f.code() != ErrorCode.OK) {
            // The sender failed the stream: end it now with its code.
            s.end(f.frames());
            remove(s, f.code(), f.reason().isEmpty() ? "the sender ended the stream" : f.reason());
            return;
        }
        advance(s, nowNs);
    }

    private void countOutcome(IncomingStream.Outcome o) {
        switch (o) {
            case TOO_LARGE -> host.countDrop(DropReason.STREAM_FRAME_TOO_LARGE);
            case REJECTED -> host.countDrop(DropReason.MALFORMED);
            default -> {
                // ACCEPTED; DUPLICATE and STALE are normal on a lossy path (counted per stream); NO_MEMORY was
                // counted by the memory with the limit that refused it.
            }
        }
    }

    private void unknown() {
        unknownStreamPackets++;
        host.countDrop(DropReason.UNKNOWN_STREAM);
    }

    private void advance(IncomingStream s, long nowNs) {
        if (s.advance(nowNs, host.minRttNs(), this)) {
            remove(s, ErrorCode.OK, "the sender closed the stream");
        } else {
            wakeNs = Math.min(wakeNs, s.wakeNs());
        }
    }

    @Override
    public void deliver(IncomingStream s, long frameNumber, byte[] data, long captureNs, long latencyNs,
            boolean fecRecovered) {
        deliveredFrames++;
        // Not essential: an application that does not poll loses frames, never the connection's memory.
        host.emit(new FrameReceived(host.connectionId(), (int) s.streamId(), frameNumber, data, captureNs, latencyNs,
                fecRecovered), false);
    }

    // ------------------------------------------------------------------------------------------------ timers

    /** When a stream next has a deadline to act on, or Long.MAX_VALUE. */
    public long wakeNs() {
        return wakeNs;
    }

    /** Runs the delivery rule of every stream whose deadline came. */
    public void onTimeout(long nowNs) {
        if (nowNs < wakeNs) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (int i = 0; i < order.size(); i++) {
            IncomingStream s = order.get(i);
            if (s.wakeNs() <= nowNs && s.advance(nowNs, host.minRttNs(), this)) {
                remove(s, ErrorCode.OK, "the sender closed the stream");
                i--;
                continue;
            }
            next = Math.min(next, s.wakeNs());
        }
        wakeNs = next;
    }

    // ------------------------------------------------------------------------------------------------ ending

    /**
     * The local application stops taking stream {@code streamId}: the sender is told with STREAM_CLOSE
     * (REFUSED) and the stream ends with OK. Returns false when no such stream is open.
     */
    public boolean stop(long streamId, String reason) {
        IncomingStream s = get(streamId);
        if (s == null) {
            return false;
        }
        s.end(-1);
        queueStop(streamId, ErrorCode.REFUSED, reason == null || reason.isEmpty()
                ? "the receiver stopped taking this stream" : reason);
        remove(s, ErrorCode.OK, "stopped by this receiver");
        return true;
    }

    /** The connection ended: every stream ends with {@code code}, its memory given back. */
    public void endAll(int code, String reason) {
        while (!order.isEmpty()) {
            IncomingStream s = order.get(order.size() - 1);
            s.end(-1);
            remove(s, code, reason);
        }
        stops.clear();
        wakeNs = Long.MAX_VALUE;
    }

    private void remove(IncomingStream s, int code, String reason) {
        byId.remove(s.streamId() + 1);
        order.remove(s);
        memory.release(STREAM_BASE_BYTES);
        rememberEnded(s.streamId());
        host.emit(new StreamEnded(host.connectionId(), (int) s.streamId(), true, code, reason,
                s.stats(host.connectionId())), true);
    }

    private void refuse(long id, int code, String reason) {
        refusedStreams++;
        rememberEnded(id);
        queueStop(id, code, reason);
    }

    private void rememberEnded(long id) {
        if (!ended.canAdd(id, id + 1)) {
            ended.removeFirstRange(); // the oldest ids: their late packets then count as unknown, as they are
        }
        ended.add(id, id + 1);
    }

    private void queueStop(long id, int code, String reason) {
        if (stops.size() >= MAX_STOPS) {
            stops.remove(0);
            forgottenStops++;
        }
        stops.add(new Stop(id, code, reason));
    }

    // ------------------------------------------------------------------------------------------------ sending

    /** Whether a receiver STREAM_CLOSE waits to be sent. */
    public boolean hasControlToSend() {
        for (int i = 0, n = stops.size(); i < n; i++) {
            if (stops.get(i).pending) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes waiting receiver STREAM_CLOSE frames into {@code dst[off, end)}, recording each in {@code sp} with
     * {@code controlBit} (so a loss queues it again); returns the new offset.
     */
    public int writeControls(ByteBuffer dst, int off, int end, SentPacket sp, int controlBit) {
        for (int i = 0, n = stops.size(); i < n && sp.controlCount < SentPacket.MAX_CONTROL_ENTRIES; i++) {
            Stop stop = stops.get(i);
            if (!stop.pending) {
                continue;
            }
            if (end - off < StreamCloseFrame.REASON_OFFSET + stop.reason.length) {
                break;
            }
            off = StreamCloseFrame.encodeFromReceiver(dst, off, stop.streamId, stop.code, stop.reason);
            stop.pending = false;
            sp.controlTransferIds[sp.controlCount] = (int) stop.streamId;
            sp.controlFrames[sp.controlCount] = controlBit;
            sp.controlCount++;
        }
        return off;
    }

    /** A packet carrying our STREAM_CLOSE for {@code streamId} was acknowledged: it is done. */
    public void onStopAcked(int streamId) {
        for (int i = 0; i < stops.size(); i++) {
            if ((int) stops.get(i).streamId == streamId) {
                stops.remove(i);
                return;
            }
        }
    }

    /** A packet carrying our STREAM_CLOSE for {@code streamId} was lost: send it again. */
    public void onStopLost(int streamId) {
        for (int i = 0, n = stops.size(); i < n; i++) {
            Stop stop = stops.get(i);
            if ((int) stop.streamId == streamId) {
                stop.pending = true;
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ figures

    /** Adds a snapshot of every open incoming stream. */
    public void addStats(List<StreamStats> out) {
        for (int i = 0, n = order.size(); i < n; i++) {
            out.add(order.get(i).stats(host.connectionId()));
        }
    }
}
