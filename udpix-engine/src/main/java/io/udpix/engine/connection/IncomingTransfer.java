package io.udpix.engine.connection;

import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.engine.util.RangeSet;
import io.udpix.engine.util.Sha256Digests;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The receiving side of one transfer: a reassembly ring of at most {@code windowBytes} holding out-of-order
 * chunks, the in-order delivery to the sink with an incremental SHA-256, flow-control credit, and the RESULT it owes.
 *
 * <p>Memory is bounded by the ring whatever the item's size: the sender may only send below the credit
 * {@code delivered + windowBytes} (the receiver's WINDOW frames), so a slow sink stops the sender instead of
 * growing buffers. The ring itself starts at 64 KiB and grows, with a reservation from the endpoint's budget and
 * the peer's share, only as far ahead of delivery as data actually arrives.
 */
final class IncomingTransfer {
    /** Out-of-order holes tracked; a chunk that would need more is dropped unacknowledged (and so resent). */
    static final int MAX_RECEIVED_RANGES = 4096;
    /**
     * In-order bytes gathered before they go to the sink: one write per 256 KiB rather than one per datagram (with
     * 1,400-byte datagrams that was ~760,000 write calls per GiB, the receiver's largest cost on a 1500-MTU path).
     * Never more than a quarter of the window, so the credit this holds back stays small.
     */
    static final int DELIVERY_BATCH_BYTES = 256 * 1024;

    /** COMMITTING: every byte verified, the sink is making the item final off the engine's thread. */
    enum State { RECEIVING, COMMITTING, FINISHED }

    final int transferId;
    final TransferInfo info;
    final long sizeBytes;
    final long startNs;
    final int windowBytes;
    private final TransferSink sink;
    /**
     * First length of the reassembly ring: the credit a sender has before the first WINDOW, so a small item or a
     * first flight fits without growing.
     */
    static final int INITIAL_RING_BYTES = (int) OutgoingTransfer.INITIAL_CREDIT_BYTES;

    /**
     * The reassembly ring, or the sink's own array of the whole item when it offers one (direct placement). The
     * ring starts at {@link #INITIAL_RING_BYTES} and doubles, up to the window, only as data arrives further ahead
     * of delivery: memory follows the bytes actually in flight, so a peer that opens a transfer and sends nothing
     * costs its budget reservation but not its window in heap.
     */
    private byte[] ring;
    private ByteBuffer ringView;
    /** Asks for reassembly memory before the ring grows; false: not now (the chunk waits, unacknowledged). */
    private final LongPredicate reserve;
    /** Length of {@link #ring}: up to the window, or the item's size with direct placement (then nothing wraps). */
    private int ringBytes;
    /** Chunks go straight into the sink's array: no ring, no copy to the sink, no {@link TransferSink#write}. */
    final boolean direct;
    private final RangeSet received = new RangeSet(MAX_RECEIVED_RANGES);
    private final MessageDigest sha256;
    private final int deliveryBatchBytes;
    /** The SHA-256 the sender announced; null until a DIGEST frame brings it, for a digest-follows transfer. */
    private byte[] expectedSha256;
    /** Every byte is in the sink and hashed (the transfer may still wait for its DIGEST). */
    private boolean allDelivered;
    private long deliveredOffset;
    private long advertisedOffset;
    private long lastProgressBytes;
    boolean windowPending;
    boolean sinkBlocked;
    State state = State.RECEIVING;
    int resultCode = -1;
    String resultReason = "";
    byte[] resultSha256 = new byte[32];
    boolean resultPending;
    boolean cancelledByPeer;
    /** Holds a slot and {@link #reservedBytes()} of its address's share and of the budget, until released. */
    boolean holdsShares;
    /** When a new byte last arrived (or the OPEN did): the stall timeout counts from here. */
    long lastProgressNs;
    /**
     * A RESUMABLE OPEN (docs/PROTOCOL.md section 5.5): the RESUME frame naming {@link #resumedFromBytes} is owed
     * (until acknowledged; set again when a packet carrying it is lost).
     */
    boolean resumePending;
    boolean resumeAcked;
    /** Where delivery started: the sink already held the content's first bytes up to here. */
    long resumedFromBytes;
    /** Whether the engine hashes the content: not when it resumed past 0 (the sink verifies, see TransferSink). */
    private boolean hashing = true;

    /** A transfer whose ring may grow without asking anyone (tests of reassembly alone). */
    IncomingTransfer(int transferId, TransferInfo info, TransferSink sink, int windowBytes, long nowNs) {
        this(transferId, info, sink, windowBytes, nowNs, bytes -> true);
    }

    /**
     * A transfer whose ring grows only when {@code reserve} grants the extra bytes (the endpoint's reassembly budget
     * and the peer address's share); the first {@link #INITIAL_RING_BYTES} are reserved by the caller.
     */
    IncomingTransfer(int transferId, TransferInfo info, TransferSink sink, int windowBytes, long nowNs,
            LongPredicate reserve) {
        this.reserve = reserve;
        this.transferId = transferId;
        this.info = info;
        this.sizeBytes = info.sizeBytes();
        this.sink = sink;
        this.windowBytes = windowBytes;
        this.startNs = nowNs;
        this.lastProgressNs = nowNs;
        byte[] placement = windowBytes > 0 ? sink.placementArray() : null;
        this.direct = placement != null && placement.length == sizeBytes;
        this.ring = direct ? placement : new byte[Math.min(windowBytes, INITIAL_RING_BYTES)];
        this.ringBytes = ring.length;
        this.ringView = ByteBuffer.wrap(ring);
        this.advertisedOffset = Math.min(OutgoingTransfer.INITIAL_CREDIT_BYTES, windowBytes);
        this.windowPending = windowBytes > advertisedOffset;
        this.sha256 = Sha256Digests.newDigest();
        this.expectedSha256 = info.sha256();
        this.deliveryBatchBytes = Math.max(1, Math.min(DELIVERY_BATCH_BYTES, windowBytes / 4));
    }

    /**
     * Answers a RESUMABLE OPEN: the sink holds the first {@code offsetBytes} (0 when none or when it could not
     * say), so delivery and credit start there and a RESUME frame naming it is owed. Called once, before any
     * chunk, by the receive path.
     */
    void resumeAt(long offsetBytes) {
        long offset = offsetBytes < 0 || offsetBytes > sizeBytes || direct ? 0 : offsetBytes;
        resumePending = true;
        resumedFromBytes = offset;
        if (offset == 0) {
            return;
        }
        hashing = false;
        deliveredOffset = offset;
        lastProgressBytes = offset;
        advertisedOffset = Math.min(sizeBytes, offset + Math.min(OutgoingTransfer.INITIAL_CREDIT_BYTES, windowBytes));
        windowPending = creditOffset() > advertisedOffset;
    }

    void onResumeSent() {
        resumePending = false;
    }

    /** Reassembly memory this transfer holds from the endpoint's budget: its ring, none with direct placement. */
    int reservedBytes() {
        return direct ? 0 : ringBytes;
    }

    long deliveredOffset() {
        return deliveredOffset;
    }

    /** The credit to advertise in a WINDOW frame. */
    long creditOffset() {
        return Math.min(sizeBytes, deliveredOffset + windowBytes);
    }

    void onWindowSent() {
        advertisedOffset = creditOffset();
        windowPending = false;
    }

    /**
     * Whether a chunk can be taken now (trackable, and its place in the ring exists or could be reserved: the ring
     * grows here, so that validation and application agree). Duplicates are acceptable. False leaves the packet
     * unacknowledged; the sender resends it, by when delivery has made room. The lowest hole always fits without
     * growing (a chunk is smaller than the initial ring), so a transfer can always make progress.
     */
    boolean canAccept(long offset, int length) {
        long end = offset + length;
        if (state != State.RECEIVING || end <= deliveredOffset) {
            return true;
        }
        return received.canAdd(Math.max(offset, deliveredOffset), end) && ringCanHold(end);
    }

    /** Grows the ring, if the reservation is granted, so that bytes up to {@code end} fit. */
    private boolean ringCanHold(long end) {
        long neededBytes = end - deliveredOffset;
        if (direct || neededBytes <= ringBytes || neededBytes > windowBytes) {
            return true; // beyond the window is a flow-control violation, which violates() reports
        }
        int newBytes = grownLength(neededBytes);
        if (!reserve.test(newBytes - ringBytes)) {
            return false;
        }
        resizeRing(newBytes);
        return true;
    }

    /** Whether the chunk breaks flow control or the declared size (a protocol violation by the peer). */
    boolean violates(long offset, int length) {
        long end = offset + length;
        return end > sizeBytes || end > deliveredOffset + windowBytes;
    }

    /**
     * Takes one chunk (already checked with {@link #canAccept} and {@link #violates}); returns the number of new
     * bytes (0 for a duplicate).
     */
    int onChunk(ByteBuffer buf, int dataIndex, long offset, int length) {
        long end = offset + length;
        if (state != State.RECEIVING || end <= deliveredOffset) {
            return 0;
        }
        long start = Math.max(offset, deliveredOffset);
        if (received.containsAll(start, end)) {
            return 0;
        }
        if (!ringCanHold(end)) {
            return 0; // not reached: canAccept grew the ring when the packet was validated
        }
        int skip = (int) (start - offset);
        int n = (int) (end - start);
        int ringPos = (int) (start % ringBytes);
        int first = Math.min(n, ringBytes - ringPos);
        buf.get(dataIndex + skip, ring, ringPos, first);
        if (first < n) {
            buf.get(dataIndex + skip + first, ring, 0, n - first);
        }
        long before = received.coveredLength();
        received.add(start, end);
        return (int) (received.coveredLength() - before);
    }

    /** The ring length that holds {@code neededBytes} (at most the window) past delivery: doubling. */
    private int grownLength(long neededBytes) {
        // At least four delivery batches at once: a batch then crosses the ring's end (two sink writes instead of
        // one) at most once per four batches, as with the full window.
        int newBytes = (int) Math.min(windowBytes, Math.max(ringBytes, 4L * deliveryBatchBytes));
        while (newBytes < neededBytes) {
            newBytes = (int) Math.min(windowBytes, 2L * newBytes);
        }
        return newBytes;
    }

    /** Moves the ring's content into a ring of {@code newBytes}. */
    private void resizeRing(int newBytes) {
        byte[] grown = new byte[newBytes];
        // Every byte at an offset in [delivered, delivered + old length) moves to its slot in the new ring.
        long p = deliveredOffset;
        long endP = deliveredOffset + ringBytes;
        while (p < endP) {
            int from = (int) (p % ringBytes);
            int to = (int) (p % newBytes);
            int n = (int) Math.min(endP - p, Math.min(ringBytes - from, newBytes - to));
            System.arraycopy(ring, from, grown, to, n);
            p += n;
        }
        ring = grown;
        ringBytes = newBytes;
        ringView = ByteBuffer.wrap(ring);
    }

    /** Length of the reassembly ring now (tests). */
    int ringBytes() {
        return ringBytes;
    }

    /**
     * Hands the contiguous prefix to the sink once it holds a batch (or the item's end); returns false when the
     * sink failed (the caller fails the transfer).
     * Stops early when the sink pushes back.
     */
    boolean deliver() {
        sinkBlocked = false;
        long contiguousEnd = received.isEmpty() || received.firstStart() > deliveredOffset ? deliveredOffset
                : received.firstEnd();
        if (contiguousEnd - deliveredOffset < deliveryBatchBytes && contiguousEnd < sizeBytes) {
            return true; // wait for a batch; the item's last bytes always go at once
        }
        int guard = 0;
        while (state == State.RECEIVING && !received.isEmpty() && received.firstStart() <= deliveredOffset
                && guard++ < 64) {
            long avail = received.firstEnd() - deliveredOffset;
            int ringPos = (int) (deliveredOffset % ringBytes);
            int n = (int) Math.min(avail, ringBytes - ringPos);
            ringView.limit(ringPos + n).position(ringPos);
            int written;
            try {
                written = direct ? n : sink.write(ringView);
            } catch (IOException | RuntimeException e) {
                if (e.getCause() instanceof TransferRefusedException refused) {
                    fail(refused.errorCode(), String.valueOf(refused.getMessage())); // e.g. NO_SPACE
                } else {
                    fail(ErrorCode.SINK_FAILED, "the receiver could not store the item: " + e.getMessage());
                }
                return false;
            }
            if (written > 0) {
                ringView.limit(ringPos + written).position(ringPos);
                if (hashing) {
                    sha256.update(ringView);
                }
                deliveredOffset += written;
                received.removeBelow(deliveredOffset);
                if (direct) {
                    sink.placed(deliveredOffset);
                }
            }
            if (written < n) {
                sinkBlocked = true;
                break;
            }
        }
        if (creditOffset() - advertisedOffset >= Math.max(1, windowBytes / 4)
                || (creditOffset() == sizeBytes && advertisedOffset < sizeBytes)) {
            windowPending = true;
        }
        if (state == State.RECEIVING && deliveredOffset == sizeBytes) {
            finish();
        }
        return true;
    }

    /** The sender's DIGEST frame: the SHA-256 of a digest-follows transfer. Later copies change nothing. */
    void onDigest(byte[] digest) {
        if (expectedSha256 == null && state == State.RECEIVING) {
            expectedSha256 = digest.clone();
        }
    }

    private void finish() {
        if (!allDelivered) {
            allDelivered = true;
            // Resumed past 0: the engine saw only the rest; the sink checks the whole content in complete().
            resultSha256 = hashing ? sha256.digest() : expectedSha256.clone();
        }
        if (expectedSha256 == null) {
            return; // every byte is here; the DIGEST frame is still on its way
        }
        byte[] actual = resultSha256;
        if (!Arrays.equals(actual, expectedSha256)) {
            fail(ErrorCode.HASH_MISMATCH, "the SHA-256 of the bytes received does not match the one announced");
            return;
        }
        try {
            sink.complete(actual);
            if (sink.commitsLater()) {
                // The RESULT waits for the sink's outcome (see onCommitDone); nothing more to deliver or credit.
                state = State.COMMITTING;
                windowPending = false;
                return;
            }
            resultCode = ErrorCode.OK;
            resultReason = "";
        } catch (TransferRefusedException e) {
            resultCode = e.errorCode();
            resultReason = String.valueOf(e.getMessage());
            sink.abort(resultReason);
        } catch (IOException | RuntimeException e) {
            resultCode = ErrorCode.SINK_FAILED;
            resultReason = "the receiver could not store the item: " + e.getMessage();
            sink.abort(resultReason);
        }
        state = State.FINISHED;
        resultPending = true;
        windowPending = false;
    }

    /** The sink's outcome of a commit that {@link TransferSink#commitsLater}; false when none was pending. */
    boolean onCommitDone(TransferSink from, int code, String reason) {
        if (state != State.COMMITTING || from != sink) {
            return false;
        }
        resultCode = code;
        resultReason = reason == null ? "" : reason;
        state = State.FINISHED;
        resultPending = true;
        return true;
    }

    /** Whether {@code other} is this transfer's sink. */
    boolean hasSink(TransferSink other) {
        return sink == other;
    }

    /**
     * Ends the transfer with an error result for the sender and discards what the sink has. A commit in progress
     * is not interrupted: its own outcome becomes the RESULT.
     */
    void fail(int code, String reason) {
        if (state != State.RECEIVING) {
            return;
        }
        resultCode = code;
        resultReason = reason;
        state = State.FINISHED;
        resultPending = !cancelledByPeer;
        windowPending = false;
        sink.abort(reason);
    }

    /** Whether enough arrived since the last progress event to report again. */
    boolean progressDue() {
        long step = Math.max(sizeBytes / 64, 256 * 1024);
        if (deliveredOffset - lastProgressBytes >= step) {
            lastProgressBytes = deliveredOffset;
            return true;
        }
        return false;
    }
}
