package io.udpix.engine.stream;

import io.udpix.engine.trace.Tracer;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.ParityFrame;
import java.nio.ByteBuffer;

/**
 * One frame stream this endpoint receives: per-frame assemblies, the clock offset, and the delivery rule of
 * docs/PROTOCOL.md section 5.8.5 (complete frames in frame-number order, each before its deadline, never one older
 * than the last delivered; a frame not complete at its deadline is dropped and counted late or lost). Sans-I/O:
 * time comes in as arguments; deadlines come out through {@link #wakeNs()} for the connection's timer.
 *
 * <p>Bounded: at most {@link #MAX_ASSEMBLIES} frames in reassembly, each at most the receiver's max frame bytes,
 * each charged to {@link StreamMemory} while it exists. Per fragment it allocates nothing (per frame: the frame's
 * buffer, handed to the application on delivery).
 */
public final class IncomingStream {
    /** Frames one stream may have in reassembly at once; one more drops the oldest (counted). */
    public static final int MAX_ASSEMBLIES = 64;
    /** What a new assembly is charged beyond its frame bytes (bookkeeping, an upper bound of the real cost). */
    static final long ASSEMBLY_OVERHEAD_BYTES = 256;

    /** {@link #completeSeenNs} before the rule saw the frame complete. */
    private static final long NOT_SEEN = Long.MIN_VALUE;
    /**
     * How long a complete frame waits, in RTTs, behind frames of which nothing arrived (rule 4's hold): the sender
     * sees the gap in the ACK this receiver sends at once for the out-of-order packet (about one RTT after the lost
     * packet would have arrived), and its repair takes half an RTT more; the second RTT covers jitter and pacing.
     */
    static final int GAP_HOLD_RTTS = 2;

    /** Outcome of one FRAGMENT or PARITY. */
    public enum Outcome {
        /** New data for a frame still awaited. */
        ACCEPTED,
        /** Already had it (or rebuilt it from parity). */
        DUPLICATE,
        /** For a frame already delivered or given up (or after the stream ended). */
        STALE,
        /** The frame is longer than the receiver's max frame bytes. */
        TOO_LARGE,
        /** The reassembly memory (budget or the peer's share) could not hold the frame or its parity. */
        NO_MEMORY,
        /** Inconsistent with the frame's first packet (length, fragment size, capture time, stride). */
        REJECTED
    }

    /** Receives each delivered frame. */
    public interface Delivery {
        /** Frame {@code frameNumber} is complete and on time; {@code data} is the receiver's to keep. */
        void deliver(IncomingStream stream, long frameNumber, byte[] data, long captureNs, long latencyNs,
                boolean fecRecovered);
    }

    private final long streamId;
    private final StreamParams params;
    private final long budgetNs;
    private final long maxFrameBytes;
    private final StreamMemory memory;

    /** min(arrival - sender time) over STREAM_OPEN and every fragment/parity (section 5.8.3). */
    private long minClockDiffNs = Long.MAX_VALUE;

    // Assemblies in slots [0, size), unordered (at most 64: linear scans beat a map and allocate nothing).
    private final long[] numbers = new long[MAX_ASSEMBLIES];
    private final FrameAssembly[] assemblies = new FrameAssembly[MAX_ASSEMBLIES];
    private final long[] senderCaptureUs = new long[MAX_ASSEMBLIES];
    private final long[] captureNs = new long[MAX_ASSEMBLIES];
    private final long[] deadlineNs = new long[MAX_ASSEMBLIES];
    private final long[] chargedBytes = new long[MAX_ASSEMBLIES];
    /** When the rule first saw the frame complete behind a gap, {@link #NOT_SEEN} before (the gap hold, rule 4). */
    private final long[] completeSeenNs = new long[MAX_ASSEMBLIES];
    private int size;

    /** Lowest frame number not yet accounted (delivered, late or lost). */
    private long next;
    /** Highest frame number of any ABANDON, -1 none. */
    private long abandonedThrough = -1;
    /** Frames the sender's STREAM_CLOSE says it started, -1 before one arrived. */
    private long closeFrames = -1;
    private long closeDeadlineNs = Long.MAX_VALUE;
    private boolean ended;
    private long wakeNs = Long.MAX_VALUE;
    /** Rule 4's hold for this call of {@link #advance}. */
    private long gapHoldNs;

    private long onTime;
    private long late;
    private long lost;
    private long fecRecovered;
    private long retransmittedFragments;
    private long dataBytes;
    private long parityBytes;
    private long droppedPackets;
    private final LatencyHistogram latency = new LatencyHistogram();
    /** Where late and lost frames go when the connection is traced (docs/QLOG.md). */
    StreamTrace trace = StreamTrace.OFF;

    /**
     * A stream opened by STREAM_OPEN: {@code params} carry the effective budget (already clamped to this receiver's
     * bounds); frames longer than {@code maxFrameBytes} are dropped.
     */
    public IncomingStream(long streamId, StreamParams params, long maxFrameBytes, StreamMemory memory) {
        this.streamId = streamId;
        this.params = params;
        this.budgetNs = params.latencyBudgetNs();
        this.maxFrameBytes = maxFrameBytes;
        this.memory = memory;
    }

    /** The stream id (u32). */
    public long streamId() {
        return streamId;
    }

    /** What STREAM_OPEN said, with the effective budget. */
    public StreamParams params() {
        return params;
    }

    /** Whether the stream has ended (sender closed and every frame accounted, or {@link #end} was called). */
    public boolean ended() {
        return ended;
    }

    /** When {@link #advance} next has something to decide (a deadline), or Long.MAX_VALUE. */
    public long wakeNs() {
        return wakeNs;
    }

    /**
     * A clock sample: a packet written at {@code senderUs} on the sender's clock arrived at {@code arrivalNs}
     * (section 5.8.3). Saturating: a sender clock near 2^63 us cannot overflow.
     */
    public void onClockSample(long senderUs, long arrivalNs) {
        long senderNs = senderUs > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : senderUs * 1000;
        minClockDiffNs = Math.min(minClockDiffNs, arrivalNs - senderNs);
    }

    /**
     * The offset from sender time to receiver time: min(arrival - sender time) - minRtt/2 (0 correction without
     * an RTT sample); 0 before any sample.
     */
    public long clockOffsetNs(long minRttNs) {
        if (minClockDiffNs == Long.MAX_VALUE) {
            return 0;
        }
        long half = minRttNs == Long.MAX_VALUE || minRttNs <= 0 ? 0 : minRttNs / 2;
        return saturatingAdd(minClockDiffNs, -half);
    }

    /** A FRAGMENT of this stream (its checks passed); call {@link #advance} afterwards. */
    public Outcome onFragment(FragmentFrame f, ByteBuffer buf, long nowNs, long minRttNs) {
        onClockSample(f.captureUs(), nowNs);
        if (f.retransmission()) {
            retransmittedFragments++;
        }
        int slot = slotFor(f.frameNumber(), f.frameLength(), f.fragmentSize(), f.captureUs(), nowNs, minRttNs);
        if (slot < 0) {
            return count(OUTCOMES[-slot - 1]);
        }
        boolean fresh = assemblies[slot].addFragment(f.frameLength(), f.fragmentSize(), f.fragmentIndex(), buf,
                f.dataOffset(), f.dataLength());
        return fresh ? Outcome.ACCEPTED : count(Outcome.DUPLICATE);
    }

    /** A PARITY of this stream (its checks passed); call {@link #advance} afterwards. */
    public Outcome onParity(ParityFrame p, ByteBuffer buf, long nowNs, long minRttNs) {
        onClockSample(p.captureUs(), nowNs);
        int slot = slotFor(p.frameNumber(), p.frameLength(), p.fragmentSize(), p.captureUs(), nowNs, minRttNs);
        if (slot < 0) {
            return count(OUTCOMES[-slot - 1]);
        }
        FrameAssembly a = assemblies[slot];
        long extra = 0;
        if (a.stride() == 0) {
            // The first parity of a frame allocates its columns: charge them before they exist.
            extra = (long) p.stride() * p.fragmentSize() + 16L * p.stride() + 64;
            if (!memory.tryReserve(extra)) {
                return count(Outcome.NO_MEMORY);
            }
        }
        boolean fresh = a.addParity(p.frameLength(), p.fragmentSize(), p.stride(), p.group(), buf, p.dataOffset(),
                p.dataLength());
        if (extra > 0 && a.stride() == 0) {
            memory.release(extra); // rejected: nothing was allocated
            extra = 0;
        }
        chargedBytes[slot] += extra;
        if (!fresh) {
            return count(Outcome.DUPLICATE);
        }
        parityBytes += p.dataLength();
        return Outcome.ACCEPTED;
    }

    private static final Outcome[] OUTCOMES = Outcome.values();

    private Outcome count(Outcome o) {
        droppedPackets++;
        return o;
    }

    /** ABANDON(n): the sender sends nothing more for frames up to n (cumulative; a lower n changes nothing). */
    public void onAbandon(long frameNumber) {
        abandonedThrough = Math.max(abandonedThrough, frameNumber);
    }

    /**
     * The sender's STREAM_CLOSE: it started {@code frames} frames. Frames still awaited keep their deadlines; the
     * stream ends once all are accounted, at the latest one budget from now.
     */
    public void onSenderClose(long frames, long nowNs) {
        if (closeFrames < 0) {
            closeFrames = frames;
            closeDeadlineNs = saturatingAdd(nowNs, budgetNs);
            wakeNs = Math.min(wakeNs, closeDeadlineNs);
        }
    }

    /**
     * Applies the delivery rule (section 5.8.5) until it must wait, without rule 4's hold (no RTT known); delivers
     * through {@code out}. Returns true when the stream ended now (the sender closed it and every frame is
     * accounted).
     */
    public boolean advance(long nowNs, Delivery out) {
        return advance(nowNs, Long.MAX_VALUE, out);
    }

    /**
     * Applies the delivery rule (section 5.8.5) until it must wait; delivers through {@code out}. A complete frame
     * behind frames of which nothing arrived waits up to {@link #GAP_HOLD_RTTS} x {@code minRttNs} (no longer than
     * its deadline) for their repairs, or until the sender abandons them. Returns true when the stream ended now
     * (the sender closed it and every frame is accounted).
     */
    public boolean advance(long nowNs, long minRttNs, Delivery out) {
        gapHoldNs = minRttNs == Long.MAX_VALUE || minRttNs <= 0 ? 0
                : minRttNs >= budgetNs / GAP_HOLD_RTTS ? budgetNs : minRttNs * GAP_HOLD_RTTS;
        if (ended) {
            return false;
        }
        // Each held frame costs at most three steps (a jump over frames abandoned, one over frames of which nothing
        // came, then the frame itself), so this bound never stops the rule early; it only bounds the loop.
        for (int guard = 0; guard < 3 * MAX_ASSEMBLIES + 4; guard++) {
            if (!step(nowNs, out)) {
                break;
            }
        }
        if (closeFrames >= 0 && (next >= closeFrames || nowNs >= closeDeadlineNs)) {
            finish(closeFrames);
            return true;
        }
        wakeNs = computeWake();
        return false;
    }

    /** One step of the rule; false when it must wait. */
    private boolean step(long nowNs, Delivery out) {
        int slot = find(next);
        if (slot >= 0) {
            FrameAssembly a = assemblies[slot];
            if (a.isComplete()) {
                if (nowNs <= deadlineNs[slot]) {
                    deliver(slot, nowNs, out);
                } else {
                    late++; // complete only after its deadline: never shown late
                    trace.frame(Tracer.LATE, streamId, true, next, 0, nowNs);
                    free(slot);
                }
                next++;
                return true;
            }
            if (next <= abandonedThrough) {
                lost++;
                trace.frame(Tracer.LOST, streamId, true, next, 1, nowNs);
                free(slot);
                next++;
                return true;
            }
            if (nowNs >= deadlineNs[slot]) {
                late++;
                trace.frame(Tracer.LATE, streamId, true, next, 0, nowNs);
                free(slot);
                next++;
                return true;
            }
            return false;
        }
        if (next <= abandonedThrough) {
            // Everything up to the ABANDON that has no data is lost at once (no per-frame loop).
            long upTo = Math.min(abandonedThrough, lowestAbove(next) - 1);
            lost += upTo - next + 1;
            trace.frame(Tracer.LOST, streamId, true, next, upTo - next + 1, nowNs);
            next = upTo + 1;
            return true;
        }
        int m = lowestSlotAbove(next);
        if (m < 0) {
            return false;
        }
        boolean complete = assemblies[m].isComplete();
        if (complete && completeSeenNs[m] == NOT_SEEN) {
            completeSeenNs[m] = nowNs;
        }
        // The hold (udpix, not the wire contract): a frame of which nothing arrived was sent (frame numbers are
        // given only to frames that start to go), so its repair or the sender's ABANDON is on the way. Skipping it
        // at once would waste a repair that can still be on time (section 5.8.4) for a few milliseconds of latency.
        boolean deliverable = complete && nowNs <= deadlineNs[m]
                && nowNs >= saturatingAdd(completeSeenNs[m], gapHoldNs);
        if (deliverable || nowNs >= deadlineNs[m]) {
            lost += numbers[m] - next; // nothing of them arrived; their deadlines are no later than m's
            if (numbers[m] > next) {
                trace.frame(Tracer.LOST, streamId, true, next, numbers[m] - next, nowNs);
            }
            next = numbers[m];
            return true;
        }
        return false;
    }

    private void deliver(int slot, long nowNs, Delivery out) {
        FrameAssembly a = assemblies[slot];
        long number = numbers[slot];
        long capture = captureNs[slot];
        byte[] data = a.bytes();
        boolean fec = a.fecUsed();
        long latencyNs = nowNs - capture;
        onTime++;
        dataBytes += data.length;
        if (fec) {
            fecRecovered++;
        }
        latency.record(latencyNs);
        free(slot);
        out.deliver(this, number, data, capture, latencyNs, fec);
    }

    /** When the rule next needs to look: the deadline of the frame it waits for, or the close deadline. */
    private long computeWake() {
        long d = closeDeadlineNs;
        int slot = find(next);
        if (slot < 0) {
            slot = lowestSlotAbove(next);
        }
        if (slot >= 0) {
            d = Math.min(d, deadlineNs[slot]);
            if (numbers[slot] != next && completeSeenNs[slot] != NOT_SEEN) {
                d = Math.min(d, saturatingAdd(completeSeenNs[slot], gapHoldNs)); // rule 4's hold ends
            }
        }
        return d;
    }

    /**
     * The slot of frame {@code number}, created on its first packet; or -(outcome ordinal + 1) when the packet
     * cannot be taken.
     */
    private int slotFor(long number, long frameLength, int fragmentSize, long captureUs, long nowNs, long minRttNs) {
        if (ended || number < next || (closeFrames >= 0 && number >= closeFrames)) {
            return -(Outcome.STALE.ordinal() + 1);
        }
        int slot = find(number);
        if (slot >= 0) {
            return senderCaptureUs[slot] == captureUs ? slot : -(Outcome.REJECTED.ordinal() + 1);
        }
        if (number <= abandonedThrough) {
            return -(Outcome.STALE.ordinal() + 1); // the sender gave it up: do not start holding memory for it
        }
        if (frameLength > maxFrameBytes) {
            return -(Outcome.TOO_LARGE.ordinal() + 1);
        }
        if (size == MAX_ASSEMBLIES && !dropOldestFor(number)) {
            return -(Outcome.STALE.ordinal() + 1);
        }
        long fragments = (frameLength + fragmentSize - 1) / fragmentSize;
        long charge = frameLength + fragments + ASSEMBLY_OVERHEAD_BYTES;
        if (!memory.tryReserve(charge)) {
            return -(Outcome.NO_MEMORY.ordinal() + 1);
        }
        slot = size++;
        numbers[slot] = number;
        assemblies[slot] = new FrameAssembly(frameLength, fragmentSize);
        senderCaptureUs[slot] = captureUs;
        long senderNs = captureUs > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : captureUs * 1000;
        captureNs[slot] = saturatingAdd(senderNs, clockOffsetNs(minRttNs));
        deadlineNs[slot] = saturatingAdd(captureNs[slot], budgetNs);
        chargedBytes[slot] = charge;
        completeSeenNs[slot] = NOT_SEEN;
        return slot;
    }

    /**
     * Makes room for frame {@code number} when 64 frames are in reassembly: the oldest goes (late: some of it
     * arrived; frames below it with nothing are lost). A frame older than every one held gets no room.
     */
    private boolean dropOldestFor(long number) {
        int oldest = 0;
        for (int i = 1; i < size; i++) {
            if (numbers[i] < numbers[oldest]) {
                oldest = i;
            }
        }
        if (number < numbers[oldest]) {
            return false;
        }
        lost += numbers[oldest] - next; // frames below it: nothing of them arrived (or they were abandoned)
        late++;
        if (numbers[oldest] > next) {
            trace.frame(Tracer.LOST, streamId, true, next, numbers[oldest] - next, Long.MIN_VALUE);
        }
        trace.frame(Tracer.LATE, streamId, true, numbers[oldest], 0, Long.MIN_VALUE);
        next = numbers[oldest] + 1;
        free(oldest);
        return true;
    }

    private int find(long number) {
        for (int i = 0; i < size; i++) {
            if (numbers[i] == number) {
                return i;
            }
        }
        return -1;
    }

    private int lowestSlotAbove(long number) {
        int best = -1;
        for (int i = 0; i < size; i++) {
            if (numbers[i] > number && (best < 0 || numbers[i] < numbers[best])) {
                best = i;
            }
        }
        return best;
    }

    /** The lowest frame number held above {@code number}, or Long.MAX_VALUE. */
    private long lowestAbove(long number) {
        int slot = lowestSlotAbove(number);
        return slot < 0 ? Long.MAX_VALUE : numbers[slot];
    }

    private void free(int slot) {
        memory.release(chargedBytes[slot]);
        int last = --size;
        numbers[slot] = numbers[last];
        assemblies[slot] = assemblies[last];
        senderCaptureUs[slot] = senderCaptureUs[last];
        captureNs[slot] = captureNs[last];
        deadlineNs[slot] = deadlineNs[last];
        chargedBytes[slot] = chargedBytes[last];
        completeSeenNs[slot] = completeSeenNs[last];
        assemblies[last] = null;
    }

    /**
     * Ends the stream now (connection closed, stopped by the application, or its close deadline): frames below
     * {@code frames} still open are counted (late if some of them arrived, lost otherwise) when {@code frames} is
     * known (at least 0); every assembly's memory is released.
     */
    public void end(long frames) {
        if (!ended) {
            finish(frames);
        }
    }

    private void finish(long frames) {
        long held = 0;
        long highestHeld = next - 1;
        while (size > 0) {
            long n = numbers[0];
            if (n >= next && (frames < 0 || n < frames)) {
                held++;
                trace.frame(Tracer.LATE, streamId, true, n, 0, Long.MIN_VALUE); // arrived in part: late (below)
                highestHeld = Math.max(highestHeld, n);
            }
            free(0);
        }
        // Unknown count (the connection ended): the frames up to the highest one that arrived in part.
        long end = frames >= 0 ? frames : highestHeld + 1;
        if (end > next) {
            late += held;
            lost += end - next - held;
            if (end - next - held > 0) {
                // The run's frames are not told apart here (held ones among them were late): first and count only.
                trace.frame(Tracer.LOST, streamId, true, next, end - next - held, Long.MIN_VALUE);
            }
            next = end;
        }
        ended = true;
        wakeNs = Long.MAX_VALUE;
    }

    /** Frames accounted so far: on time + late + lost. */
    public long framesAccounted() {
        return onTime + late + lost;
    }

    /** Packets (fragments and parities) of this stream that were not taken (duplicates, stale, refused). */
    public long droppedPackets() {
        return droppedPackets;
    }

    /** Bytes charged to the reassembly memory now. */
    public long chargedBytes() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += chargedBytes[i];
        }
        return sum;
    }

    /** Frames in reassembly now. */
    public int framesInReassembly() {
        return size;
    }

    /** A snapshot of this stream's receiver figures. */
    public StreamStats stats(long connectionId) {
        return new StreamStats(connectionId, (int) streamId, true, params.codec(), budgetNs, onTime + late + lost,
                onTime, late, lost, 0, 0, fecRecovered, retransmittedFragments, dataBytes, parityBytes, 0,
                latency.p50Ns(), latency.p99Ns(), latency.maxNs(), 0, size, 0);
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
