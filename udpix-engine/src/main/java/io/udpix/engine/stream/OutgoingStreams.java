package io.udpix.engine.stream;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.trace.Tracer;
import io.udpix.wire.BigEndian;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.ParityFrame;
import io.udpix.wire.StreamOpenFrame;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The frame streams one connection sends (docs/PROTOCOL.md sections 4.13-4.16), sans-I/O: what the packet writer
 * sends next, earliest deadline first across streams, and what happens to a frame when its packets are
 * acknowledged or lost. Partial reliability (like PR-SCTP, RFC 3758): a lost fragment is sent again only while it
 * can still arrive before the frame's deadline ({@code nowNs + srtt/2 < deadline}); otherwise the frame is
 * abandoned and the receiver told with a cumulative ABANDON. Memory is bounded: one frame waiting per stream
 * (latest wins), at most {@link OutgoingStream#MAX_FRAMES_IN_PROGRESS} in progress, each freed at its deadline
 * plus one smoothed RTT at the latest.
 *
 * <p>The connection supplies time, RTT, pacing rate and loss rate as arguments; this class reads no clock.
 */
public final class OutgoingStreams {
    /** Streams we open at most per connection, whatever the peer allows (bounds this class's loops). */
    public static final int MAX_STREAMS = 64;
    /** STREAM_OPEN's length without its name (docs/PROTOCOL.md section 4.12). */
    public static final int STREAM_OPEN_BASE_BYTES = StreamOpenFrame.MIN_LENGTH;
    /** FRAGMENT's header length (section 4.14). */
    public static final int FRAGMENT_HEADER_BYTES = FragmentFrame.HEADER_LENGTH;
    /** PARITY's header length (section 4.15); its data is F bytes, so a parity packet is the largest. */
    public static final int PARITY_HEADER_BYTES = ParityFrame.HEADER_LENGTH;
    /** A started frame is abandoned when its rest cannot go out by its deadline at this multiple of the pacing rate. */
    public static final int PACING_HEADROOM = 2;
    /** Frame numbers are u32 on the wire; a stream that used them all takes no more frames. */
    static final long MAX_FRAME_NUMBER = BigEndian.MAX_U32;

    /** What the packet writer is to send for the stream {@link #pick} chose. */
    public enum Kind { NONE, RETRANSMISSION, NEW, PARITY }

    private final long connectionId;
    private final InetSocketAddress peer;
    private final Consumer<EndpointEvent> events;
    private final StridePlanner planner;
    private final List<OutgoingStream> streams = new ArrayList<>();
    private int nextStreamId = 1;

    // The peer's STREAM_LIMITS, once the handshake told us (client: at ACCEPT; server: at once).
    private boolean peerKnown;
    private boolean peerTakesStreams;
    private int peerMaxStreams;
    private long peerMaxFrameBytes;
    private long peerLatencyMinNs;
    private long peerLatencyMaxNs;
    private String unsupportedReason = "";
    private long lastPacingRateBytesPerSecond;

    // The choice of the last pick(): read by the writer.
    private OutgoingStream pickedStream;
    private OutgoingFrame pickedFrame;
    private Kind pickedKind = Kind.NONE;
    private int pickedIndex;
    /** Where frame events go when the connection is traced (docs/QLOG.md). */
    private StreamTrace trace = StreamTrace.OFF;

    /**
     * @param connectionId the connection's local id (for events and stats)
     * @param peer         the peer's address (for events and messages)
     * @param events       where StreamOpened/StreamEnded go (essential events)
     * @param planner      chooses each frame's parity stride
     */
    public OutgoingStreams(long connectionId, InetSocketAddress peer, Consumer<EndpointEvent> events,
            StridePlanner planner) {
        this.connectionId = connectionId;
        this.peer = peer;
        this.events = events;
        this.planner = planner;
    }

    /** Sends every stream's frame events to {@code trace} (the connection's, when traced). */
    public void trace(StreamTrace trace) {
        this.trace = trace;
        for (int k = 0, n = streams.size(); k < n; k++) {
            streams.get(k).trace = trace;
        }
    }

    // ---------------------------------------------------------------- peer facts

    /**
     * The handshake told us whether the peer takes streams and its STREAM_LIMITS. Streams opened before that
     * (during the handshake) start now, or end with ErrorCode.UNSUPPORTED_FEATURE when the peer does not take streams.
     */
    public void onPeerLimits(boolean takesStreams, int maxStreams, long maxFrameBytes, long latencyMinNs,
            long latencyMaxNs, String unsupportedReason) {
        peerKnown = true;
        peerTakesStreams = takesStreams;
        peerMaxStreams = Math.max(0, maxStreams);
        peerMaxFrameBytes = Math.max(1, maxFrameBytes);
        peerLatencyMinNs = Math.max(0, latencyMinNs);
        peerLatencyMaxNs = Math.max(peerLatencyMinNs, latencyMaxNs);
        this.unsupportedReason = unsupportedReason;
        if (!takesStreams) {
            endAll(ErrorCode.UNSUPPORTED_FEATURE, unsupportedReason);
            return;
        }
        for (int k = 0, n = streams.size(); k < n; k++) {
            OutgoingStream st = streams.get(k);
            if (st.framesStarted == 0) {
                st.budgetNs = effectiveBudgetNs(st.params.latencyBudgetNs()); // opened during the handshake
            }
        }
    }

    /**
     * The budget in effect for a request: clamp(request, peer's min, peer's max) in whole milliseconds (the request
     * rounded up, as StreamLimits.effectiveBudgetMs does), 1 ms to 10 s: what STREAM_OPEN carries.
     */
    long effectiveBudgetNs(long requestNs) {
        long ns = (requestNs + 999_999) / 1_000_000 * 1_000_000;
        if (peerKnown) {
            ns = Math.max(peerLatencyMinNs, Math.min(peerLatencyMaxNs, ns));
        }
        long ms = Math.max(1, Math.min(StreamParams.MAX_LATENCY_BUDGET_NS / 1_000_000, ns / 1_000_000));
        return ms * 1_000_000;
    }

    // ---------------------------------------------------------------- application calls

    /** Opens a stream; returns its id, or -1 (a StreamEnded event says why). */
    public int open(StreamParams params, boolean connectionClosing, long nowNs) {
        int id = nextStreamId++;
        if (connectionClosing) {
            return refuseOpen(id, params, ErrorCode.CLOSED, "the connection is closed");
        }
        if (peerKnown && !peerTakesStreams) {
            return refuseOpen(id, params, ErrorCode.UNSUPPORTED_FEATURE, unsupportedReason);
        }
        int limit = peerKnown ? Math.min(MAX_STREAMS, peerMaxStreams) : MAX_STREAMS;
        if (streams.size() >= limit) {
            return refuseOpen(id, params, ErrorCode.TOO_MANY_TRANSFERS, "the peer takes at most " + limit
                    + (limit == 1 ? " stream" : " streams") + " from us at once; close one first");
        }
        byte[] name;
        try {
            name = StreamOpenFrame.encodeName(params.name());
        } catch (IllegalArgumentException e) {
            return refuseOpen(id, params, ErrorCode.PROTOCOL_VIOLATION, "the stream cannot be announced: "
                    + e.getMessage());
        }
        OutgoingStream stream = new OutgoingStream(id, params, effectiveBudgetNs(params.latencyBudgetNs()), name);
        stream.trace = trace;
        streams.add(stream);
        return id;
    }

    private int refuseOpen(int id, StreamParams params, int code, String reason) {
        OutgoingStream s = new OutgoingStream(id, params, effectiveBudgetNs(params.latencyBudgetNs()), new byte[0]);
        events.accept(new StreamEnded(connectionId, id, false, code, reason, stats(s)));
        return -1;
    }

    /**
     * Hands a frame to stream {@code streamId}: it becomes the stream's one waiting frame, replacing one that had
     * not started to go (latest wins, counted as dropped at the source). Never waits.
     */
    public FrameAdmission submit(int streamId, byte[] frame, long captureNs) {
        OutgoingStream s = get(streamId);
        if (s == null || s.state != OutgoingStream.State.OPEN || frame == null || frame.length == 0
                || (peerKnown && frame.length > peerMaxFrameBytes) || s.nextFrameNumber > MAX_FRAME_NUMBER) {
            return FrameAdmission.REFUSED;
        }
        FrameAdmission admission = FrameAdmission.QUEUED;
        if (s.pendingFrame != null) {
            s.droppedAtSource++;
            admission = FrameAdmission.REPLACED_OLDER;
            trace.frame(Tracer.DROPPED_AT_SOURCE, streamId, false, -1, StreamTrace.REPLACED, captureNs);
        }
        trace.frame(Tracer.QUEUED, streamId, false, -1, frame.length, captureNs);
        s.onFrameInterval(captureNs);
        s.pendingFrame = frame;
        s.pendingCaptureNs = captureNs;
        return admission;
    }

    /**
     * Ends stream {@code streamId} of ours: the waiting frame and those in progress still go (each within its
     * deadline), then STREAM_CLOSE; StreamEnded comes when the peer acknowledged it.
     */
    public void close(int streamId) {
        OutgoingStream s = get(streamId);
        if (s != null && s.state == OutgoingStream.State.OPEN) {
            s.state = OutgoingStream.State.CLOSING;
            s.closeCode = ErrorCode.OK;
        }
    }

    /** The receiver refused or stopped stream {@code streamId} (its STREAM_CLOSE): it ends now. */
    public void onPeerClosed(int streamId, int code, String reason) {
        OutgoingStream s = get(streamId);
        if (s != null) {
            end(s, code, reason.isEmpty() ? "the receiver closed the stream" : reason);
        }
    }

    /** The connection ends: every stream ends with {@code code}. */
    public void endAll(int code, String reason) {
        for (int i = streams.size() - 1; i >= 0; i--) {
            end(streams.get(i), code, reason);
        }
    }

    private void end(OutgoingStream s, int code, String reason) {
        s.state = OutgoingStream.State.DONE;
        s.pendingFrame = null;
        while (s.frameCount > 0) {
            s.release(s.frames[0]);
        }
        streams.remove(s);
        events.accept(new StreamEnded(connectionId, s.streamId, false, code, reason, stats(s)));
    }

    /** The stream with {@code streamId}, or null. */
    public OutgoingStream get(int streamId) {
        for (int i = 0, n = streams.size(); i < n; i++) {
            OutgoingStream s = streams.get(i);
            if (s.streamId == streamId) {
                return s;
            }
        }
        return null;
    }

    /** Number of streams (index loops on the send path: an iterator per packet would be garbage). */
    public int size() {
        return streams.size();
    }

    /** Stream at {@code index}, {@code 0..size()-1}. */
    public OutgoingStream at(int index) {
        return streams.get(index);
    }

    /** Whether no stream exists (the writer's fast path). */
    public boolean isEmpty() {
        return streams.isEmpty();
    }

    // ---------------------------------------------------------------- timers

    /**
     * Applies the deadline rules as of {@code nowNs}: a frame with data still to send is abandoned once a packet
     * sent now could not arrive in time ({@code nowNs + srtt/2 >= deadline}), or, once started, when its unsent
     * bytes cannot go out by then at the pacing rate; a frame is freed when complete or at its deadline plus one
     * srtt; a waiting frame that can no longer make it is dropped at the source.
     */
    public void sweep(long nowNs, long srttNs, long pacingRateBytesPerSecond) {
        if (pacingRateBytesPerSecond > 0) {
            lastPacingRateBytesPerSecond = pacingRateBytesPerSecond;
        }
        for (int k = 0, n = streams.size(); k < n; k++) {
            streams.get(k).sweep(nowNs, srttNs, pacingRateBytesPerSecond);
        }
    }

    /**
     * Whether some stream dropped a frame at the source because the RTT estimate said it could not arrive in time
     * since the last call (then the connection sends a PING, at most once per smoothed RTT, so a fresh RTT sample
     * comes: without one a stale high estimate would starve the stream for good). Clears the flags.
     */
    public boolean takeRttStarved() {
        boolean starved = false;
        for (int k = 0, n = streams.size(); k < n; k++) {
            OutgoingStream s = streams.get(k);
            starved |= s.rttStarved;
            s.rttStarved = false;
        }
        return starved;
    }

    /** When {@link #sweep} next has something to do, or Long.MAX_VALUE. */
    public long nextTimerNs(long srttNs) {
        long next = Long.MAX_VALUE;
        for (int k = 0, n = streams.size(); k < n; k++) {
            next = Math.min(next, streams.get(k).nextTimerNs(srttNs));
        }
        return next;
    }

    // ---------------------------------------------------------------- send path

    /** Whether some stream owes a control frame (STREAM_OPEN, ABANDON, STREAM_CLOSE). */
    public boolean hasControl() {
        if (!peerReady()) {
            return false;
        }
        for (int k = 0, n = streams.size(); k < n; k++) {
            OutgoingStream s = streams.get(k);
            if (s.openPendingNow() || s.abandonPendingNow() || s.closePendingNow()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a FRAGMENT or PARITY could go now (peer known and taking streams). */
    public boolean hasData() {
        if (!peerKnown || !peerTakesStreams) {
            return false;
        }
        for (int k = 0, n = streams.size(); k < n; k++) {
            OutgoingStream s = streams.get(k);
            if (s.pendingFrame != null) {
                return true;
            }
            for (int i = 0; i < s.frameCount; i++) {
                if (s.frames[i].hasWork()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether STREAM_OPEN may go (the peer takes streams); controls wait for the handshake's answer. */
    public boolean peerReady() {
        return peerKnown && peerTakesStreams;
    }

    /**
     * Chooses the next FRAGMENT or PARITY, earliest deadline first across streams and their frames (ties: a
     * retransmission first); within a frame repairs go first, then new fragments, then its parity. A waiting frame
     * starts here when its deadline is the earliest: it gets its frame number, fragment size and parity stride.
     * Returns whether something was chosen ({@link #pickedStream()} etc. say what).
     *
     * @param roomBytes bytes a stream frame may take in a packet beside the STREAM_OPEN (FRAGMENT or PARITY
     *                  header included); fragments of a new frame are sized from it
     * @param lossRate  the connection's recent packet loss rate, for FEC planning
     */
    public boolean pick(long nowNs, long srttNs, long pacingRateBytesPerSecond, int roomBytes, double lossRate) {
        pickedStream = null;
        pickedFrame = null;
        pickedKind = Kind.NONE;
        if (!peerReady()) {
            return false;
        }
        sweep(nowNs, srttNs, pacingRateBytesPerSecond);
        OutgoingStream bestStream = null;
        OutgoingFrame bestFrame = null;
        long bestDeadlineNs = Long.MAX_VALUE;
        boolean bestRepair = false;
        for (int k = 0, n = streams.size(); k < n; k++) {
            OutgoingStream s = streams.get(k);
            for (int i = 0; i < s.frameCount; i++) {
                OutgoingFrame f = s.frames[i];
                if (!f.hasWork()) {
                    continue;
                }
                boolean repair = f.hasRetransmit();
                if (f.deadlineNs < bestDeadlineNs || (f.deadlineNs == bestDeadlineNs && repair && !bestRepair)) {
                    bestStream = s;
                    bestFrame = f;
                    bestDeadlineNs = f.deadlineNs;
                    bestRepair = repair;
                }
            }
            if (s.pendingFrame != null) {
                long d = s.pendingCaptureNs + s.budgetNs;
                if (d < bestDeadlineNs) {
                    bestStream = s;
                    bestFrame = null;
                    bestDeadlineNs = d;
                    bestRepair = false;
                }
            }
        }
        if (bestStream == null) {
            return false;
        }
        if (bestFrame == null) {
            bestFrame = bestStream.startPending(roomBytes, srttNs, lossRate, lastPacingRateBytesPerSecond, planner);
            if (bestFrame == null) {
                return false;
            }
        }
        pickedStream = bestStream;
        pickedFrame = bestFrame;
        if (bestFrame.hasRetransmit()) {
            pickedKind = Kind.RETRANSMISSION;
            pickedIndex = bestFrame.firstRetransmit();
        } else if (bestFrame.hasNew()) {
            pickedKind = Kind.NEW;
            pickedIndex = bestFrame.nextNew;
        } else {
            pickedKind = Kind.PARITY;
            pickedIndex = bestFrame.nextParity;
        }
        return pickedIndex >= 0;
    }

    /** STREAM_OPEN's length for {@code s}. */
    public static int openFrameBytes(OutgoingStream s) {
        return s.openFrameBytes();
    }

    /** The stream chosen by the last {@link #pick}. */
    public OutgoingStream pickedStream() {
        return pickedStream;
    }

    /** The frame chosen by the last {@link #pick}. */
    public OutgoingFrame pickedFrame() {
        return pickedFrame;
    }

    /** What the last {@link #pick} chose to send. */
    public Kind pickedKind() {
        return pickedKind;
    }

    /** The fragment index (or parity group) the last {@link #pick} chose. */
    public int pickedIndex() {
        return pickedIndex;
    }

    /**
     * The picked frame cannot go in any packet the path now takes (the path MTU shrank below its fragment size):
     * it is abandoned rather than picked again and again.
     */
    public void abandonPicked() {
        if (pickedFrame != null && pickedFrame.live) {
            pickedStream.abandon(pickedFrame);
        }
        pickedKind = Kind.NONE;
    }

    /** The picked fragment or parity group went out in a packet. */
    public void onPickedSent() {
        OutgoingStream s = pickedStream;
        OutgoingFrame f = pickedFrame;
        switch (pickedKind) {
            case RETRANSMISSION -> {
                f.onFragmentSent(pickedIndex);
                s.retransmittedFragments++;
                trace.frame(Tracer.REPAIRED, s.streamId, false, f.frameNumber, pickedIndex, Long.MIN_VALUE);
                s.retransmittedBytes += f.fragmentLength(pickedIndex);
            }
            case NEW -> {
                f.onFragmentSent(pickedIndex);
                s.dataBytes += f.fragmentLength(pickedIndex);
            }
            case PARITY -> {
                f.onParitySent(pickedIndex);
                s.parityBytes += f.fragmentBytes;
                trace.frame(Tracer.PARITY_SENT, s.streamId, false, f.frameNumber, pickedIndex, Long.MIN_VALUE);
            }
            default -> {
                return;
            }
        }
        pickedKind = Kind.NONE;
    }

    // ---------------------------------------------------------------- what acknowledgements and losses say

    /** A packet with fragment {@code index} (or parity, {@code index < 0}) of a frame was acknowledged. */
    public void onFragmentAcked(int streamId, long frameNumber, int index) {
        OutgoingStream s = get(streamId);
        OutgoingFrame f = s == null || index < 0 ? null : s.find(frameNumber);
        if (f != null && f.onFragmentAcked(index) && f.complete()) {
            s.release(f);
        }
    }

    /**
     * A packet with fragment {@code index} of a frame was declared lost. It goes again if it can still arrive in
     * time ({@code nowNs + srtt/2 < deadline}); otherwise the frame is abandoned. Parity ({@code index < 0}) is
     * never sent again.
     */
    public void onFragmentLost(int streamId, long frameNumber, int index, long nowNs, long srttNs) {
        OutgoingStream s = get(streamId);
        OutgoingFrame f = s == null || index < 0 ? null : s.find(frameNumber);
        if (f == null || f.isAcked(index)) {
            return;
        }
        f.markLost(index);
        if (nowNs + srttNs / 2 < f.deadlineNs) {
            f.queueRetransmit(index);
        } else if (!f.parityMayRecover(index)) {
            s.abandon(f);
        }
        // Else the repair is too late but the group's parity (sent, not known lost) may rebuild the fragment at
        // the receiver: no ABANDON, which would make the receiver drop the frame at once. Its state goes at
        // deadline + srtt.
    }

    /** A packet with parity group {@code group} of a frame was declared lost (parity is never sent again). */
    public void onParityLost(int streamId, long frameNumber, int group) {
        OutgoingStream s = get(streamId);
        OutgoingFrame f = s == null ? null : s.find(frameNumber);
        if (f != null) {
            f.markParityLost(group);
        }
    }

    /** Our STREAM_OPEN was acknowledged: the stream is open at the peer (StreamOpened, once). */
    public void onOpenAcked(int streamId) {
        OutgoingStream s = get(streamId);
        if (s != null && !s.openAcked) {
            s.openAcked = true;
            s.openPending = false;
            events.accept(new StreamOpened(connectionId, streamId, false, peer, s.params()));
        }
    }

    /** A packet with our STREAM_OPEN was lost: send it again unless acknowledged. */
    public void onOpenLost(int streamId) {
        OutgoingStream s = get(streamId);
        if (s != null && !s.openAcked && s.state != OutgoingStream.State.DONE) {
            s.openPending = true;
        }
    }

    /** An ABANDON for frames up to {@code frameNumber} was acknowledged. */
    public void onAbandonAcked(int streamId, long frameNumber) {
        OutgoingStream s = get(streamId);
        if (s != null && frameNumber > s.abandonAckedUpTo) {
            s.abandonAckedUpTo = frameNumber;
            if (s.abandonAckedUpTo >= s.abandonedUpTo) {
                s.abandonPending = false;
            }
        }
    }

    /** An ABANDON was lost: the newest one goes again unless a newer or equal one was acknowledged. */
    public void onAbandonLost(int streamId, long frameNumber) {
        OutgoingStream s = get(streamId);
        if (s != null && s.abandonedUpTo > s.abandonAckedUpTo) {
            s.abandonPending = true;
        }
    }

    /** Our STREAM_CLOSE was acknowledged: the stream has ended (StreamEnded OK). */
    public void onCloseAcked(int streamId) {
        OutgoingStream s = get(streamId);
        if (s != null && s.closeSent) {
            end(s, s.closeCode, "");
        }
    }

    /** A packet with our STREAM_CLOSE was lost: send it again. */
    public void onCloseLost(int streamId) {
        OutgoingStream s = get(streamId);
        if (s != null && s.closeSent) {
            s.closePending = true;
        }
    }

    /** The writer put the stream's STREAM_OPEN in a packet. */
    public void onOpenSent(OutgoingStream s) {
        s.openPending = false;
    }

    /** The writer put the stream's newest ABANDON in a packet. */
    public void onAbandonSent(OutgoingStream s) {
        s.abandonPending = false;
    }

    /** The writer put the stream's STREAM_CLOSE in a packet. */
    public void onCloseSent(OutgoingStream s) {
        s.closePending = false;
        s.closeSent = true;
    }

    // ---------------------------------------------------------------- figures

    /** Adds a snapshot of every stream we send to {@code out}. */
    public void addStats(List<StreamStats> out, long pacingRateBytesPerSecond) {
        if (pacingRateBytesPerSecond > 0) {
            lastPacingRateBytesPerSecond = pacingRateBytesPerSecond;
        }
        for (int k = 0, n = streams.size(); k < n; k++) {
            out.add(stats(streams.get(k)));
        }
    }

    private StreamStats stats(OutgoingStream s) {
        return new StreamStats(connectionId, s.streamId, false, s.params.codec(), s.budgetNs, s.framesStarted, 0, 0,
                0, s.droppedAtSource, s.abandoned, 0, s.retransmittedFragments, s.dataBytes, s.parityBytes,
                s.retransmittedBytes, 0, 0, 0, lastPacingRateBytesPerSecond,
                s.frameCount + (s.pendingFrame != null ? 1 : 0), s.lastFecPercent);
    }
}
