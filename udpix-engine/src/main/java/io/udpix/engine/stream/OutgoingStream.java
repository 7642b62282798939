package io.udpix.engine.stream;

import io.udpix.engine.trace.Tracer;

/**
 * One stream we send (docs/PROTOCOL.md section 4.13): the one frame waiting to start (latest wins), the frames in
 * progress (at most {@link #MAX_FRAMES_IN_PROGRESS}, pooled), the control frames it owes (STREAM_OPEN until
 * acknowledged, the newest ABANDON until acknowledged, STREAM_CLOSE) and its counters.
 */
public final class OutgoingStream {
    /** Frames of one stream that started to go and are not yet acknowledged, abandoned or expired. */
    public static final int MAX_FRAMES_IN_PROGRESS = 8;

    /** Lifecycle. */
    enum State { OPEN, CLOSING, DONE }

    final int streamId;
    final StreamParams params;
    /** The budget in effect: the request clamped to the peer's bounds (what STREAM_OPEN carries). */
    long budgetNs;
    /** The name as STREAM_OPEN carries it (encoded once, not per packet). */
    final byte[] nameUtf8;
    State state = State.OPEN;

    // The one frame that has not started to go.
    byte[] pendingFrame;
    long pendingCaptureNs;

    /** Frames in progress, ordered by frame number; slots reused. */
    final OutgoingFrame[] frames = new OutgoingFrame[MAX_FRAMES_IN_PROGRESS];
    int frameCount;
    long nextFrameNumber;

    // Control frames owed.
    boolean openPending = true;
    boolean openAcked;
    /** Highest frame number abandoned (ABANDON is cumulative: nothing more for frames <= it), -1 none. */
    long abandonedUpTo = -1;
    /** Highest abandoned frame number the peer acknowledged, -1 none. */
    long abandonAckedUpTo = -1;
    boolean abandonPending;
    /** STREAM_CLOSE was lost and goes again (the first one goes once the stream is closing and drained). */
    boolean closePending;
    boolean closeSent;
    int closeCode;
    String closeReason = "";

    /** Smoothed time between the captures of submitted frames (0 unknown): what one frame may take of the path. */
    long frameIntervalNs;
    private long lastSubmitCaptureNs = Long.MIN_VALUE;

    // Counters (StreamStats).
    long framesStarted;
    long droppedAtSource;
    long abandoned;
    /** Frames forgotten with a fragment never acknowledged and not counted abandoned (StreamStats.expired). */
    long expired;
    long retransmittedFragments;
    long dataBytes;
    long parityBytes;
    long retransmittedBytes;
    int lastFecPercent;
    /** Where frame events go when the connection is traced (docs/QLOG.md). */
    StreamTrace trace = StreamTrace.OFF;

    OutgoingStream(int streamId, StreamParams params, long budgetNs, byte[] nameUtf8) {
        this.streamId = streamId;
        this.params = params;
        this.budgetNs = budgetNs;
        this.nameUtf8 = nameUtf8;
        if (params.fpsHintCenti() > 0) {
            this.frameIntervalNs = 100_000_000_000L / params.fpsHintCenti();
        }
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new OutgoingFrame();
        }
    }

    /** A frame captured at {@code captureNs} was submitted: updates the smoothed frame interval (weight 1/8). */
    void onFrameInterval(long captureNs) {
        if (lastSubmitCaptureNs != Long.MIN_VALUE) {
            long d = captureNs - lastSubmitCaptureNs;
            if (d > 0 && d <= budgetNs * 4) {
                frameIntervalNs = frameIntervalNs == 0 ? d : frameIntervalNs + (d - frameIntervalNs) / 8;
            }
        }
        lastSubmitCaptureNs = captureNs;
    }

    /** The stream id (ours, from 1 upwards). */
    public int streamId() {
        return streamId;
    }

    /** What the application asked for, with the effective budget. */
    public StreamParams params() {
        return params.withLatencyBudgetNs(budgetNs);
    }

    /** Frames in progress, oldest first: index {@code 0..frameCount()-1}. */
    public OutgoingFrame frame(int index) {
        return frames[index];
    }

    /** Number of frames in progress. */
    public int frameCount() {
        return frameCount;
    }

    /** The stream's name in UTF-8 (STREAM_OPEN's name field); do not modify. */
    public byte[] nameUtf8() {
        return nameUtf8;
    }

    /** The effective budget in nanoseconds. */
    public long budgetNs() {
        return budgetNs;
    }

    /** Whether the STREAM_OPEN must travel with this stream's packets (not yet acknowledged). */
    public boolean openUnacknowledged() {
        return !openAcked;
    }

    /** Whether a STREAM_OPEN is owed as a control frame (sent once, again when lost, until acknowledged). */
    public boolean openPendingNow() {
        return openPending && !openAcked;
    }

    /**
     * Whether an ABANDON is owed and may go: ABANDON and STREAM_CLOSE wait for STREAM_OPEN's acknowledgement,
     * before which the receiver would acknowledge and ignore them.
     */
    public boolean abandonPendingNow() {
        return abandonPending && openAcked;
    }

    /** Whether STREAM_CLOSE is owed and may go (after STREAM_OPEN's acknowledgement). */
    public boolean closePendingNow() {
        return openAcked && state == State.CLOSING && drained() && (!closeSent || closePending);
    }

    /** Highest frame number abandoned, -1 none: what ABANDON carries. */
    public long abandonedUpTo() {
        return abandonedUpTo;
    }

    /** Frames that started to go: what STREAM_CLOSE carries. */
    public long framesStarted() {
        return framesStarted;
    }

    /** STREAM_CLOSE's code. */
    public int closeCode() {
        return closeCode;
    }

    /** The frame with {@code frameNumber} in progress, or null (acknowledged, abandoned, expired or unknown). */
    OutgoingFrame find(long frameNumber) {
        for (int i = 0; i < frameCount; i++) {
            if (frames[i].frameNumber == frameNumber) {
                return frames[i];
            }
        }
        return null;
    }

    /** Takes a free slot for a new frame at the end of the order; the caller ensured there is room. */
    OutgoingFrame appendSlot() {
        return frames[frameCount++];
    }

    /** Frees {@code f} and moves its slot behind the live ones (the order by frame number is kept). */
    void release(OutgoingFrame f) {
        int at = -1;
        for (int i = 0; i < frameCount; i++) {
            if (frames[i] == f) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return;
        }
        f.free();
        System.arraycopy(frames, at + 1, frames, at, frameCount - at - 1);
        frames[--frameCount] = f;
    }

    /** A snapshot of this stream's figures; {@code rateBytesPerSecond} is what the connection lets it send. */
    StreamStats stats(long connectionId, long rateBytesPerSecond) {
        return new StreamStats(connectionId, streamId, false, params.codec(), budgetNs, framesStarted, 0, 0, 0,
                droppedAtSource, abandoned, 0, retransmittedFragments, dataBytes, parityBytes, retransmittedBytes, 0,
                0, 0, rateBytesPerSecond, frameCount + (pendingFrame != null ? 1 : 0), lastFecPercent, expired);
    }

    /** Frees {@code f} without abandoning it, counting it expired when some fragment was never acknowledged. */
    void forget(OutgoingFrame f) {
        if (!f.complete()) {
            expired++;
        }
        release(f);
    }

    /** Whether anything is left to send or wait for before STREAM_CLOSE may go. */
    boolean drained() {
        return pendingFrame == null && frameCount == 0;
    }

    /** STREAM_OPEN's length for this stream. */
    int openFrameBytes() {
        return OutgoingStreams.STREAM_OPEN_BASE_BYTES + nameUtf8.length;
    }

    /**
     * Applies the deadline rules to this stream as of {@code nowNs} (see {@link OutgoingStreams#sweep}): frames
     * complete or past deadline + srtt are freed; a frame still owing data is abandoned once a packet sent now could
     * not arrive in time, or, once started, when its unsent bytes cannot go out by then at
     * {@link OutgoingStreams#PACING_HEADROOM} times the pacing rate; the waiting frame is dropped at the source when
     * it can no longer make it.
     */
    void sweep(long nowNs, long srttNs, long pacingRateBytesPerSecond) {
        long halfRttNs = srttNs / 2;
        for (int i = 0; i < frameCount; ) {
            OutgoingFrame f = frames[i];
            if (f.complete() || nowNs >= f.deadlineNs + srttNs) {
                forget(f);
                continue;
            }
            if (nowNs + halfRttNs >= f.deadlineNs && !f.hasNew() && f.hasRetransmit()
                    && f.dropRepairsParityMayRecover()) {
                // Repairs too late, but parity may rebuild them at the receiver: no ABANDON (see onFragmentLost).
                f.nextParity = f.stride;
            }
            boolean owes = f.hasRetransmit() || f.hasNew();
            if (owes && (nowNs + halfRttNs >= f.deadlineNs
                    || (f.nextNew > 0 && cannotMakeIt(f, nowNs, halfRttNs, pacingRateBytesPerSecond)))) {
                abandon(f);
                i = 0; // abandon released f and older frames
                continue;
            }
            if (nowNs + halfRttNs >= f.deadlineNs) {
                f.nextParity = Math.max(f.nextParity, f.stride); // parity that would arrive late helps no one
                f.dropCopies(); // nor would copies of repairs
            }
            i++;
        }
        if (pendingFrame != null && nowNs + halfRttNs >= pendingCaptureNs + budgetNs) {
            pendingFrame = null;
            droppedAtSource++;
            trace.frame(Tracer.DROPPED_AT_SOURCE, streamId, false, -1, StreamTrace.TOO_LATE,
                    nowNs);
            // Dropped on the RTT estimate's word: the connection makes sure a fresh sample comes (section 5.8.4).
            rttStarved = true;
        }
    }

    /** A frame was dropped at the source on the RTT estimate since the connection last asked. */
    boolean rttStarved;

    /**
     * Whether the frame's unsent bytes cannot reach the receiver by its deadline even at
     * {@link OutgoingStreams#PACING_HEADROOM} times the pacing rate. The headroom matters: the congestion
     * controller's rate follows what was delivered, and a stream that gave up its frames at exactly that rate would
     * send less, lower the estimate, and give up more.
     */
    private static boolean cannotMakeIt(OutgoingFrame f, long nowNs, long halfRttNs, long rate) {
        if (rate <= 0) {
            return false;
        }
        long sendNs = (long) (f.unsentBytes() * 1e9 / (rate * (double) OutgoingStreams.PACING_HEADROOM));
        return nowNs + sendNs + halfRttNs > f.deadlineNs;
    }

    /**
     * Gives up frame {@code f} and, ABANDON being cumulative, every older frame still in progress: nothing more is
     * sent for them. Frames that still owed data count as abandoned; older ones already sent in full are only
     * forgotten (the receiver judges them).
     */
    void abandon(OutgoingFrame f) {
        long upTo = f.frameNumber;
        for (int i = 0; i < frameCount; ) {
            OutgoingFrame g = frames[i];
            if (g.frameNumber > upTo) {
                i++;
                continue;
            }
            if (!g.complete() && (g == f || g.hasRetransmit() || g.hasNew())) {
                abandoned++;
                trace.frame(Tracer.ABANDONED, streamId, false, g.frameNumber, 0,
                        Long.MIN_VALUE);
                release(g);
            } else {
                forget(g);
            }
        }
        if (upTo > abandonedUpTo) {
            abandonedUpTo = upTo;
            abandonPending = true;
        }
    }

    /** When {@link #sweep} next has something to do for this stream, or Long.MAX_VALUE. */
    long nextTimerNs(long srttNs) {
        long halfRttNs = srttNs / 2;
        long next = Long.MAX_VALUE;
        for (int i = 0; i < frameCount; i++) {
            OutgoingFrame f = frames[i];
            next = Math.min(next, f.deadlineNs + srttNs);
            if (f.hasWork()) {
                next = Math.min(next, f.deadlineNs - halfRttNs);
            }
        }
        if (pendingFrame != null) {
            next = Math.min(next, pendingCaptureNs + budgetNs - halfRttNs);
        }
        return next;
    }

    /**
     * Starts the waiting frame in a pooled slot (evicting the oldest in progress when all are taken): frame number,
     * fragment size from {@code roomBytes} (less the STREAM_OPEN while it travels along) and parity stride from
     * {@code planner}, limited to the capacity to spare. Returns null when the frame cannot go (dropped at source).
     */
    OutgoingFrame startPending(int roomBytes, long srttNs, double lossRate, long rateBytesPerSecond,
            StridePlanner planner) {
        byte[] data = pendingFrame;
        int fragmentBytes = Math.min(FrameLayout.MAX_FRAGMENT_SIZE,
                roomBytes - OutgoingStreams.PARITY_HEADER_BYTES - (openAcked ? 0 : openFrameBytes()));
        if (!FrameLayout.isValid(data.length, fragmentBytes)) {
            // The path is too narrow for this frame now (a shrunken MTU): it cannot go; drop it at the source.
            pendingFrame = null;
            droppedAtSource++;
            trace.frame(Tracer.DROPPED_AT_SOURCE, streamId, false, -1,
                    StreamTrace.TOO_LARGE_FOR_PATH, Long.MIN_VALUE);
            return null;
        }
        if (frameCount == MAX_FRAMES_IN_PROGRESS) {
            OutgoingFrame oldest = frames[0];
            if (oldest.hasRetransmit() || oldest.hasNew()) {
                abandon(oldest);
            } else {
                forget(oldest); // sent in full, waiting for acknowledgements: forgotten, not abandoned
            }
        }
        int count = OutgoingFrame.fragmentCount(data.length, fragmentBytes);
        // Equal fragments, ceil(L / count): the same number of packets, and a parity (always F bytes, section
        // 5.8.4) no larger than the frame's own fragments. With F from the room alone, a 2.7 KB frame on a
        // 9000-byte path sent 8.9 KB of parity per column, 3.3x its data (RandomStreamScenariosTest seed 5000019955:
        // the link's queue grew to 147 ms while the sender counted itself app-limited).
        fragmentBytes = (int) ((data.length + (long) count - 1) / count);
        long serialisationNs = rateBytesPerSecond > 0 ? (long) (data.length * 1e9 / rateBytesPerSecond) : 0;
        int stride = Math.max(0, Math.min(count,
                planner.stride(params.fec(), lossRate, srttNs, budgetNs, count, serialisationNs)));
        stride = Math.min(stride, spareParityGroups(data.length, fragmentBytes, rateBytesPerSecond));
        OutgoingFrame f = appendSlot();
        f.start(data, nextFrameNumber++, pendingCaptureNs, pendingCaptureNs + budgetNs, fragmentBytes, stride);
        pendingFrame = null;
        framesStarted++;
        lastFecPercent = stride == 0 ? 0 : (int) Math.min(100, Math.round(100.0 * stride / count));
        return f;
    }

    /**
     * Parity groups the path has room for beside this frame: frame and parity must go out within one frame
     * interval at the pacing rate. When the link is slower than the stream, parity would only take capacity from
     * the frames themselves (and the loss it reacts to is then mostly the stream's own queue overflowing), so there
     * is none. With no interval known yet (the first frame, no fps hint), the latency budget stands in.
     */
    int spareParityGroups(int frameBytes, int fragmentBytes, long rateBytesPerSecond) {
        if (rateBytesPerSecond <= 0) {
            return Integer.MAX_VALUE; // nothing measured yet: leave it to the planner
        }
        long windowNs = frameIntervalNs > 0 ? frameIntervalNs : budgetNs;
        double spareBytes = rateBytesPerSecond * (windowNs / 1e9) - frameBytes;
        return spareBytes <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) (spareBytes / fragmentBytes));
    }
}
