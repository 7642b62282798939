package io.udpix.engine.stream;

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
    final long budgetNs;
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

    // Counters (StreamStats).
    long framesStarted;
    long droppedAtSource;
    long abandoned;
    long retransmittedFragments;
    long dataBytes;
    long parityBytes;
    long retransmittedBytes;
    int lastFecPercent;

    OutgoingStream(int streamId, StreamParams params, long budgetNs, byte[] nameUtf8) {
        this.streamId = streamId;
        this.params = params;
        this.budgetNs = budgetNs;
        this.nameUtf8 = nameUtf8;
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new OutgoingFrame();
        }
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

    /** Whether anything is left to send or wait for before STREAM_CLOSE may go. */
    boolean drained() {
        return pendingFrame == null && frameCount == 0;
    }
}
