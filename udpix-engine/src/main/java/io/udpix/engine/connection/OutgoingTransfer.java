package io.udpix.engine.connection;

import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferSource;
import io.udpix.engine.util.RangeSet;
import io.udpix.engine.util.Sha256Digests;
import io.udpix.wire.OpenExtensions;
import io.udpix.wire.OpenFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The sending side of one transfer: what to send next (retransmissions first, then new data within the
 * receiver's credit), and its control frames (OPEN, CANCEL) until they are acknowledged.
 */
final class OutgoingTransfer {
    /** Ranges waiting for retransmission; beyond this they are coalesced by rewinding (correct, if wasteful). */
    static final int MAX_RETRANSMIT_RANGES = 4096;
    /** Credit every receiver grants before its first WINDOW frame (PROTOCOL.md, flow control). */
    static final long INITIAL_CREDIT_BYTES = 64 * 1024;
    private static final byte[] ZERO_SHA256 = new byte[32];

    enum State { ACTIVE, CANCELLING, DONE }

    final int transferId;
    /** What the OPEN announces; its RESUMABLE entry is dropped for a peer that cannot resume (see dropResumable). */
    TransferInfo info;
    final long sizeBytes;
    final long startNs;
    /** The OPEN's extension block (docs/PROTOCOL.md section 4.4a), encoded once; null when the item has none. */
    byte[] openExtensions;
    /** The OPEN frame's length: computed when the block is, not per packet (encodedLength encodes the name). */
    int openLengthBytes;
    private final TransferSource source;
    private final RangeSet retransmit = new RangeSet(MAX_RETRANSMIT_RANGES);
    private long nextOffset;
    private long creditOffset;
    long ackedBytes;
    private long lastProgressBytes;
    boolean openPending = true;
    boolean openAcked;
    /** Hashes first transmissions in order when the SHA-256 follows the data; null otherwise. */
    private final MessageDigest digest;
    /** Bytes hashed so far: the prefix [0, hashedOffset) of the content. */
    private long hashedOffset;
    /** The content's SHA-256: from the request, or once every byte was read for sending. */
    private byte[] sha256;
    /** A DIGEST frame is owed (the hash is known and not yet acknowledged). */
    boolean digestPending;
    boolean digestAcked;
    /**
     * A RESUMABLE transfer (docs/PROTOCOL.md section 5.5) sends no CHUNK before the receiver's RESUME frame names
     * the offset to start at.
     */
    boolean awaitingResume;
    /** Where the receiver said it already holds the content up to (its RESUME); 0 otherwise. */
    long resumedFromBytes;
    boolean cancelPending;
    int cancelCode;
    String cancelReason = "";
    State state = State.ACTIVE;

    OutgoingTransfer(int transferId, TransferInfo info, TransferSource source, long nowNs, long initialCreditBytes) {
        this.transferId = transferId;
        this.info = info;
        this.sizeBytes = info.sizeBytes();
        this.source = source;
        this.startNs = nowNs;
        this.openExtensions = encodeExtensions(info);
        this.openLengthBytes = OpenFrame.encodedLength(info.mediaType(), info.name(), openExtensions);
        this.awaitingResume = info.extensions().resumable();
        this.creditOffset = initialCreditBytes;
        this.digest = info.digestFollows() ? Sha256Digests.newDigest() : null;
        this.sha256 = info.sha256();
        if (digest != null && sizeBytes == 0) {
            completeDigest();
        }
    }

    /**
     * The extension block of {@code info}, or null when it has none. Throws IllegalArgumentException naming the rule
     * a key or value breaks (callers check with this before creating the transfer).
     */
    static byte[] encodeExtensions(TransferInfo info) {
        var x = info.extensions();
        return x.isEmpty() ? null : OpenExtensions.encode(x.meta(), x.replyWanted(), x.replyTo(), x.resumable());
    }

    /** The content's SHA-256, or null while it is still being computed. */
    byte[] sha256() {
        return sha256;
    }

    /** The OPEN frame's flags. */
    int openFlags() {
        return digest != null ? OpenFrame.FLAG_DIGEST_FOLLOWS : 0;
    }

    /** The SHA-256 field of the OPEN frame: zeros when the hash follows. */
    byte[] openSha256() {
        return digest != null ? ZERO_SHA256 : sha256;
    }

    /**
     * Hashes the part of a chunk just read that extends the hashed prefix. New data is read strictly in order
     * (nextOffset only grows, or rewinds over bytes already hashed), so the prefix grows without gaps.
     */
    private void hashFresh(ByteBuffer dst, int start, long offset, int length) {
        long end = offset + length;
        if (digest == null || sha256 != null || offset > hashedOffset || end <= hashedOffset) {
            return;
        }
        int skip = (int) (hashedOffset - offset);
        int oldPosition = dst.position();
        int oldLimit = dst.limit();
        dst.limit(start + length).position(start + skip);
        digest.update(dst);
        dst.limit(oldLimit).position(oldPosition);
        hashedOffset = end;
        if (hashedOffset == sizeBytes) {
            completeDigest();
        }
    }

    private void completeDigest() {
        sha256 = digest.digest();
        digestPending = state == State.ACTIVE;
    }

    /**
     * The peer cannot resume (no FEATURES bit ITEM_EXTENSIONS): the OPEN goes without RESUMABLE and every byte is
     * sent at once. Resume only saves bytes, so the item need not fail for it (unlike metadata or replies, which
     * the peer would lose). Before the OPEN is first sent.
     */
    void dropResumable() {
        var x = info.extensions();
        info = info.withExtensions(new io.udpix.engine.event.ItemExtensions(x.meta(), x.replyWanted(), x.replyTo(),
                false));
        openExtensions = encodeExtensions(info);
        openLengthBytes = OpenFrame.encodedLength(info.mediaType(), info.name(), openExtensions);
        awaitingResume = false;
    }

    /**
     * The receiver's RESUME: it holds the first {@code offsetBytes}, so sending starts there, the bytes below count
     * as delivered, and the credit every receiver grants before its first WINDOW ({@code initialCreditBytes})
     * starts there too. A repeated RESUME changes nothing, and so does one for a transfer that did not ask.
     * Returns false when the offset is beyond the content (a protocol violation the caller reports).
     */
    boolean onResume(long offsetBytes, long initialCreditBytes) {
        if (!awaitingResume || state != State.ACTIVE) {
            return true;
        }
        if (offsetBytes < 0 || offsetBytes > sizeBytes) {
            return false;
        }
        awaitingResume = false;
        resumedFromBytes = offsetBytes;
        nextOffset = offsetBytes;
        ackedBytes = offsetBytes;
        lastProgressBytes = offsetBytes;
        creditOffset = Math.max(creditOffset, Math.min(sizeBytes, offsetBytes + initialCreditBytes));
        return true;
    }

    /** Whether a CHUNK could be sent now. */
    boolean hasChunkToSend() {
        if (state != State.ACTIVE || awaitingResume) {
            return false;
        }
        return !retransmit.isEmpty() || (nextOffset < sizeBytes && nextOffset < creditOffset);
    }

    /** Whether control frames wait to be sent. */
    boolean hasControlToSend() {
        return (((openPending && !openAcked) || digestReady()) && state == State.ACTIVE) || cancelPending;
    }

    /**
     * Whether the DIGEST frame may go: it is owed. Until the OPEN is acknowledged it goes in a packet that carries
     * the OPEN too (PacketWriter), since a receiver drops a packet whose DIGEST names a transfer it does not know.
     */
    boolean digestReady() {
        return digestPending;
    }

    /**
     * Whether reading the chunk {@code [offset, offset + length)} for the first time would complete the hash of a
     * digest-follows transfer (so its DIGEST could go in the same packet).
     */
    boolean completesDigest(long offset, int length) {
        return digest != null && sha256 == null && offset <= hashedOffset && offset + length == sizeBytes;
    }

    /** The receiver raised its credit (WINDOW frame). */
    void onWindow(long maxOffset) {
        if (maxOffset > creditOffset) {
            creditOffset = maxOffset;
        }
    }

    /**
     * Whether the next chunk is a retransmission. A probe ({@code probe}) carries new data when the credit allows
     * any, as RFC 9002 section 6.2.4 says it should: a probe timeout also fires when only the acknowledgements were
     * lost, and then the oldest unacknowledged chunk is already at the receiver; probes that only repeat it would
     * let the path carry nothing new for as long as the acknowledgements are lost. A real loss is still repaired:
     * the acknowledgement of the probe declares it lost (section 6.1), and it stays queued behind the probes.
     */
    boolean nextIsRetransmission(boolean probe) {
        return !retransmit.isEmpty() && !(probe && newDataAllowed());
    }

    private boolean newDataAllowed() {
        return nextOffset < sizeBytes && nextOffset < creditOffset;
    }

    /** Offset of the next chunk to send. */
    long nextChunkOffset(boolean probe) {
        return nextIsRetransmission(probe) ? retransmit.firstStart() : nextOffset;
    }

    /** Length available for the next chunk, at most {@code maxBytes}. */
    int nextChunkLength(int maxBytes, boolean probe) {
        long avail;
        if (nextIsRetransmission(probe)) {
            avail = retransmit.firstEnd() - retransmit.firstStart();
        } else {
            avail = Math.min(sizeBytes, creditOffset) - nextOffset;
        }
        return (int) Math.max(0, Math.min(avail, maxBytes));
    }

    /**
     * Reads the chunk at {@code offset} of {@code length} bytes into {@code dst} (position to position+length) and
     * marks it sent. Returns false when the source failed.
     */
    boolean readChunk(long offset, int length, ByteBuffer dst) {
        int start = dst.position();
        int want = length;
        try {
            int guard = 0;
            while (want > 0 && guard++ < 64) {
                int n = source.read(offset + (length - want), dst);
                if (n <= 0) {
                    break;
                }
                want -= n;
            }
        } catch (IOException | RuntimeException e) {
            dst.position(start);
            return false;
        }
        if (want != 0) {
            dst.position(start);
            return false;
        }
        hashFresh(dst, start, offset, length);
        if (offset == nextOffset) {
            nextOffset += length;
        } else if (!retransmit.isEmpty() && retransmit.firstStart() == offset) {
            retransmit.remove(offset, offset + length);
        }
        return true;
    }

    /** A packet carrying {@code [offset, offset+length)} was lost: queue it again. */
    void onChunkLost(long offset, int length) {
        if (state != State.ACTIVE) {
            return;
        }
        if (!retransmit.add(offset, offset + length)) {
            // Too many holes to track: rewind new data to the hole instead (re-sends more, never loses data).
            nextOffset = Math.min(nextOffset, offset);
        }
    }

    /** A packet carrying {@code [offset, offset+length)} was acknowledged. */
    void onChunkAcked(long offset, int length) {
        ackedBytes = Math.min(sizeBytes, ackedBytes + length);
        // A spurious loss declaration (or a PTO re-queue) may have queued it again: no need to send it now.
        retransmit.remove(offset, offset + length);
    }

    /** Whether enough was acknowledged since the last progress event to report again (every 1/64 of the item). */
    boolean progressDue() {
        long step = Math.max(sizeBytes / 64, 256 * 1024);
        if (ackedBytes - lastProgressBytes >= step) {
            lastProgressBytes = ackedBytes;
            return true;
        }
        return false;
    }

    void closeSource() {
        try {
            source.close();
        } catch (RuntimeException ignored) {
            // The transfer is over either way; a failing close must not disturb the engine.
        }
    }
}
