package io.udpix.engine.connection;

import io.udpix.engine.recovery.SentPacket;
import io.udpix.engine.util.HeapStage;
import io.udpix.wire.CancelFrame;
import io.udpix.wire.ChunkFrame;
import io.udpix.wire.CloseFrame;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.DigestFrame;
import io.udpix.wire.OpenFrame;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.PaddingFrame;
import io.udpix.wire.PingFrame;
import io.udpix.wire.ResultFrame;
import io.udpix.wire.ResumeFrame;
import io.udpix.wire.WindowFrame;
import java.nio.ByteBuffer;

/**
 * The send path of a connection: decides whether a packet may go now (congestion window, pacing, probes) and
 * fills it: ACK first, then control frames, then one CHUNK as large as the datagram allows.
 */
final class PacketWriter {
    static final int CTRL_OPEN = 1;
    static final int CTRL_WINDOW = 2;
    static final int CTRL_RESULT = 4;
    static final int CTRL_CANCEL_OUT = 8;
    static final int CTRL_CANCEL_IN = 16;
    static final int CTRL_DIGEST = 32;
    /**
     * A CHUNK beyond the packet's first (which {@link SentPacket#chunkTransferId} records): several small items share
     * one datagram, each recorded as a control entry whose value is {@code offset << 16 | length}.
     */
    static final int CTRL_CHUNK = 1 << 10;
    /** The receiver's RESUME frame (docs/PROTOCOL.md section 4.8b), retransmitted until acknowledged. */
    static final int CTRL_RESUME = 1 << 11;
    /** Entry bits that name one of our outgoing transfers' item frames: one entry per transfer and packet. */
    static final int OUTGOING_ITEM_FRAMES = CTRL_OPEN | CTRL_DIGEST | CTRL_CHUNK;
    /** Extra chunks start below this offset, so that offset and length pack into one entry's value. */
    static final long MAX_EXTRA_CHUNK_OFFSET = 1L << 46;
    /** The receiver's STREAM_CLOSE (refusing or stopping a peer's stream); a high bit, clear of the sender's. */
    static final int CTRL_STREAM_STOP = 1 << 12;
    /** A receiver that only acknowledges adds a PING this often so its ACKs get acknowledged (RFC 9000 13.2.4). */
    static final int ACK_ONLY_PING_INTERVAL = 16;
    /** Room kept for control frames and a chunk when an ACK frame is written first. */
    static final int ACK_ROOM_RESERVE_BYTES = 200;
    /**
     * An ACK frame is never larger than what fits a datagram of IPv4's minimum MTU (576 minus 28 bytes of IP and UDP
     * headers) with the header, the 16-byte AEAD tag and a PING: acknowledgements must get through even when the
     * path back is narrower than the HELLO size the other direction proved (63 ranges instead of 64 since v2).
     */
    static final int MIN_PATH_DATAGRAM_BYTES = 548;

    /**
     * When stream packets and item CHUNKs both wait, every {@code ITEM_TURN}th packet goes to items (streams have
     * deadlines and go first, but items must never starve).
     */
    static final int ITEM_TURN = 4;

    /**
     * A RESULT that follows another within this fraction of the smoothed RTT (and never longer than max_ack_delay)
     * waits for the next acknowledgement to ride on (at most the second ack-eliciting packet, RFC 9000 section
     * 13.2.2) instead of leaving in a datagram of its own: items that complete back to back are confirmed several
     * per packet, while a lone item's RESULT still leaves at once.
     */
    static final int RESULT_BATCH_RTT_DIVISOR = 8;

    private final Connection c;
    private final StreamWriter streams;
    private long lastNowNs;
    /** When a packet carrying a RESULT last left. */
    private long lastResultSentNs = Long.MIN_VALUE / 2;
    /**
     * RESULTs became due and more wait than one packet held (at most {@link SentPacket#MAX_CONTROL_ENTRIES}): the
     * rest follow at once rather than waiting for the next acknowledgement.
     */
    private boolean resultFlush;
    /** Stream packets sent since the last CHUNK while both waited. */
    private int streamPacketsInARow;

    PacketWriter(Connection c) {
        this.c = c;
        this.streams = new StreamWriter(c);
    }

    /** Where sealed packets are composed when the driver's buffer is direct (see {@link HeapStage}). */
    private static final HeapStage STAGE = new HeapStage();

    /** Writes one datagram into {@code dst} from index 0; returns its length or 0. */
    int write(ByteBuffer dst, long nowNs) {
        if (dst.hasArray() || c.protection == null || c.protection.overheadBytes() == 0) {
            return compose(dst, nowNs);
        }
        // Compose, hash and seal on a heap array, then one copy into the driver's direct buffer.
        ByteBuffer stage = STAGE.view(dst.capacity());
        int len = compose(stage, nowNs);
        if (len > 0) {
            dst.put(0, stage, 0, len);
        }
        return len;
    }

    private int compose(ByteBuffer dst, long nowNs) {
        lastNowNs = nowNs;
        if (c.state == Connection.State.CLOSING) {
            return c.closeSendsLeft > 0 ? writeClose(dst) : 0;
        }
        if (c.ring.nextPacketNumber() >= Connection.MAX_PACKET_NUMBER) {
            c.close(ErrorCode.PACKET_NUMBERS_EXHAUSTED, "packet numbers exhausted; reconnect to continue", nowNs);
            return 0;
        }
        if (!c.ring.hasRoom()) {
            return 0;
        }
        int size = c.datagramBytes();
        boolean probe = c.recovery.probesToSend() > 0;
        boolean windowOpen = windowOpen(size);
        boolean paced = c.pacer.nextSendTimeNs(nowNs, size, pacingRate(), size) <= nowNs;
        boolean wantEliciting = hasControl() || hasChunk() || hasStreamData() || c.pingPending;
        if (!probe && windowOpen && paced && c.pathMtu != null && c.pathMtu.wantsProbe(nowNs)) {
            return writeMtuProbe(dst, nowNs);
        }
        if (probe || (wantEliciting && windowOpen && paced)) {
            return writeEliciting(dst, size, probe, windowOpen, nowNs);
        }
        if (c.ack.ackDue(nowNs)) {
            return writeAckOnly(dst, size, nowNs);
        }
        if (windowOpen && !wantEliciting) {
            c.cc.onAppLimited(c.recovery.bytesInFlight());
        }
        return 0;
    }

    /** When the writer next has something it may send (pacing release, probe), or Long.MAX_VALUE. */
    long sendDeadlineNs() {
        if (!c.ring.hasRoom()) {
            return Long.MAX_VALUE;
        }
        if (c.recovery.probesToSend() > 0) {
            return lastNowNs;
        }
        int size = c.datagramBytes();
        if (!windowOpen(size)) {
            return Long.MAX_VALUE;
        }
        boolean wantEliciting = hasControl() || hasChunk() || hasStreamData() || c.pingPending;
        boolean wantProbe = c.pathMtu != null && c.pathMtu.wantsProbe(lastNowNs);
        long d = Long.MAX_VALUE;
        if (wantEliciting || wantProbe) {
            d = c.pacer.nextSendTimeNs(lastNowNs, size, pacingRate(), size);
        } else if (resultWaits()) {
            // RESULTs held back to share a packet: due with the next acknowledgement (AckTracker's deadline) or
            // at the end of the batching interval, whichever comes first.
            d = Math.max(resultDueNs(), c.pacer.nextSendTimeNs(lastNowNs, size, pacingRate(),
                    size));
        }
        if (c.pathMtu != null && !wantProbe) {
            long probeAt = c.pathMtu.nextProbeTimeNs();
            if (probeAt > lastNowNs) {
                d = Math.min(d, probeAt);
            }
        }
        return d;
    }

    /** The controller's pacing rate, within the configured cap (EndpointConfig.maxSendRateBytesPerSecond). */
    private long pacingRate() {
        return Math.min(c.cc.pacingRateBytesPerSecond(), c.config.maxSendRateBytesPerSecond);
    }

    private boolean windowOpen(int size) {
        long inFlight = c.recovery.bytesInFlight() + size;
        if (inFlight > c.config.maxBytesInFlight && inFlight <= c.cc.congestionWindowBytes()) {
            c.endpointStats.countInFlightLimitHit();
        }
        long window = Math.min(c.cc.congestionWindowBytes(), c.config.maxBytesInFlight);
        // One packet may always be in flight, even when a limit is smaller than a datagram.
        return inFlight <= window || c.recovery.bytesInFlight() == 0;
    }

    private boolean hasStreamData() {
        return !c.outStreams.isEmpty() && c.outStreams.hasData();
    }

    private boolean hasControl() {
        if (c.incomingStreams.hasControlToSend() || streams.hasControl()) {
            return true;
        }
        for (int i = 0, n = c.outgoing.order.size(); i < n; i++) {
            if (c.outgoing.order.get(i).hasControlToSend()) {
                return true;
            }
        }
        if (!c.incoming.isEmpty()) {
            boolean resultDue = resultDue(lastNowNs);
            for (int i = 0, n = c.incoming.order.size(); i < n; i++) {
                IncomingTransfer t = c.incoming.order.get(i);
                if (t.windowPending || (t.resultPending && resultDue) || t.resumePending) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a RESULT waits to be sent (due or not). */
    boolean resultWaits() {
        if (c.incoming.isEmpty()) {
            return false;
        }
        for (int i = 0, n = c.incoming.order.size(); i < n; i++) {
            if (c.incoming.order.get(i).resultPending) {
                return true;
            }
        }
        return false;
    }

    /**
     * When waiting RESULTs leave even with nothing else to send: {@link #RESULT_BATCH_RTT_DIVISOR} after the last
     * packet that carried one (so a lone item's RESULT goes at once), or earlier with an acknowledgement that is due.
     */
    private long resultDueNs() {
        return lastResultSentNs + Math.min(c.config.maxAckDelayNs, rttNs() / RESULT_BATCH_RTT_DIVISOR);
    }

    /** The smoothed RTT, or a server's handshake RTT before its first sample (not the 333 ms default). */
    private long rttNs() {
        var rtt = c.recovery.rtt();
        return rtt.hasSample() || c.handshakeRttNs <= 0 ? rtt.rttNsSmoothed() : c.handshakeRttNs;
    }

    private boolean resultDue(long nowNs) {
        return resultFlush || nowNs >= resultDueNs() || c.ack.ackDue(nowNs);
    }

    private boolean hasChunk() {
        for (int i = 0, n = c.outgoing.order.size(); i < n; i++) {
            if (c.outgoing.order.get(i).hasChunkToSend()) {
                return true;
            }
        }
        return false;
    }

    private int startPacket(ByteBuffer dst, SentPacket sp) {
        return PacketHeader.write(dst, 0, PacketType.DATA, c.peerId, sp.packetNumber);
    }

    private int writeEliciting(ByteBuffer dst, int size, boolean probe, boolean windowOpen, long nowNs) {
        // Before the ACK frame is written (which clears the acknowledgement's urgency).
        boolean resultsWereDue = resultDue(nowNs);
        SentPacket sp = c.ring.add();
        int end = size - c.protection.overheadBytes();
        int off = startPacket(dst, sp);
        boolean eliciting = false;
        // Stream or item this time? Streams first (they have deadlines); every ITEM_TURN-th packet to items when
        // both wait. The stream frame is chosen first so that the ACK and control frames leave it room.
        int streamNeed = 0;
        boolean chunkWaits = hasChunk();
        if ((windowOpen || probe) && hasStreamData() && !(chunkWaits && streamPacketsInARow >= ITEM_TURN - 1)) {
            streamNeed = streams.pick(size, nowNs);
        }
        int reserve = streamNeed > 0 ? streamNeed : ACK_ROOM_RESERVE_BYTES;
        if (c.ack.hasAckToSend()) {
            int before = off;
            off = c.ack.writeAckFrame(dst, off, Math.min(maxAckFrameBytes(),
                    Math.max(0, end - off - reserve)), nowNs);
            if (off != before) {
                sp.largestAckCarried = c.ack.lastLargestAcknowledged();
            }
        }
        off = writeControls(dst, off, end - streamNeed, sp);
        resultFlush = resultsWereDue && resultWaits();
        off = streams.writeControls(dst, off, end - streamNeed, sp, nowNs);
        eliciting = sp.controlCount > 0;
        if (streamNeed > 0) {
            int after = streams.writeData(dst, off, end, sp, nowNs);
            if (after != off) {
                eliciting = true;
                streamPacketsInARow = chunkWaits ? streamPacketsInARow + 1 : 0;
            }
            off = after;
        }
        if ((windowOpen || probe) && sp.streamId < 0) {
            int after = writeChunk(dst, off, end, sp, probe, nowNs);
            if (after != off) {
                eliciting = true;
                streamPacketsInARow = 0;
            }
            off = after;
        }
        if (!eliciting || c.pingPending) {
            off = PingFrame.write(dst, off);
            c.pingPending = false;
        }
        if (probe) {
            c.recovery.onProbeSent();
        }
        int len = c.protection.seal(dst, 0, off);
        sp.sizeBytes = len;
        sp.ackEliciting = true;
        sp.inFlight = true;
        c.recovery.onPacketSent(sp, nowNs);
        c.pacer.onPacketSent(nowNs, len, pacingRate(), size);
        c.lastAckElicitingSentNs = nowNs;
        c.ackOnlySinceEliciting = 0;
        countSent(len);
        return len;
    }

    private int writeControls(ByteBuffer dst, int off, int end, SentPacket sp) {
        off = c.incomingStreams.writeControls(dst, off, end, sp, CTRL_STREAM_STOP);
        java.util.List<OutgoingTransfer> order = c.outgoing.order;
        for (int i = 0, n = order.size(); i < n && sp.controlCount < SentPacket.MAX_CONTROL_ENTRIES; i++) {
            OutgoingTransfer t = order.get(i);
            if (t.cancelPending) {
                if (end - off < CancelFrame.encodedLength(t.cancelReason)) {
                    break;
                }
                off = CancelFrame.encode(dst, off, t.transferId, t.cancelCode, t.cancelReason);
                t.cancelPending = false;
                record(sp, t.transferId, CTRL_CANCEL_OUT);
            } else if (t.state == OutgoingTransfer.State.ACTIVE && t.digestPending) {
                // The DIGEST travels with its OPEN until the OPEN is acknowledged: a receiver drops (unacknowledged)
                // a packet whose DIGEST names a transfer it has not opened (section 4.8a), so it never waits for
                // the OPEN's acknowledgement, a round trip (plus the peer's ack delay) for a small item.
                int need = DigestFrame.LENGTH + (needsOpen(sp, t) ? openLength(t) : 0);
                if (end - off < need || !hasEntryFor(sp, t.transferId)) {
                    break;
                }
                off = writeOpenIfNeeded(dst, off, sp, t);
                off = DigestFrame.encode(dst, off, t.transferId, t.sha256());
                t.digestPending = false;
                record(sp, t.transferId, CTRL_DIGEST);
            } else if (t.openPending && t.state == OutgoingTransfer.State.ACTIVE && !t.hasChunkToSend()) {
                // An OPEN alone only when no chunk waits (an empty item, or no credit): otherwise it goes beside the
                // transfer's chunk (writeChunk), so a small item is one datagram and not an OPEN then a CHUNK.
                if (end - off < openLength(t)) {
                    break;
                }
                off = writeOpenIfNeeded(dst, off, sp, t);
            }
        }
        if (c.incoming.isEmpty()) {
            return off;
        }
        for (int i = 0, n = c.incoming.order.size(); i < n; i++) {
            IncomingTransfer t = c.incoming.order.get(i);
            if (sp.controlCount >= SentPacket.MAX_CONTROL_ENTRIES) {
                break;
            }
            boolean windowOwed = t.windowPending && t.state == IncomingTransfer.State.RECEIVING;
            if (!t.resumePending && !t.resultPending && !windowOwed) {
                continue;
            }
            // One entry per transfer: its RESUME (section 5.5: the sender sends no CHUNK before it; owed even when
            // the receiver already holds everything), then its RESULT or WINDOW.
            int frames = 0;
            if (t.resumePending) {
                if (end - off < ResumeFrame.LENGTH) {
                    break;
                }
                off = ResumeFrame.encode(dst, off, t.transferId, t.resumedFromBytes);
                t.onResumeSent();
                frames = CTRL_RESUME;
            }
            if (t.resultPending) {
                if (end - off >= ResultFrame.encodedLength(t.resultReason)) {
                    off = ResultFrame.encode(dst, off, t.transferId, t.resultCode, t.resultSha256, t.resultReason);
                    t.resultPending = false;
                    lastResultSentNs = lastNowNs;
                    frames |= CTRL_RESULT;
                }
            } else if (windowOwed) {
                if (end - off >= WindowFrame.LENGTH) {
                    off = WindowFrame.encode(dst, off, t.transferId, t.creditOffset());
                    t.onWindowSent();
                    frames |= CTRL_WINDOW;
                }
            }
            if (frames == 0) {
                break; // no room for what it owes: the next packet
            }
            record(sp, t.transferId, frames);
            if (t.resultPending || (t.windowPending && t.state == IncomingTransfer.State.RECEIVING)) {
                break; // its RESULT or WINDOW did not fit: the next packet
            }
        }
        return off;
    }

    private static boolean carriesOpen(SentPacket sp, int transferId) {
        for (int i = 0; i < sp.controlCount; i++) {
            if (sp.controlTransferIds[i] == transferId && (sp.controlFrames[i] & CTRL_OPEN) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records a control frame of {@code transferId} carried by {@code sp}. Item frames of one outgoing transfer
     * (OPEN, CHUNK, DIGEST) share one entry, so a packet of small items spends one entry per item. The caller
     * checked {@link #hasEntryFor}.
     */
    private static void record(SentPacket sp, int transferId, int frame) {
        if ((frame & OUTGOING_ITEM_FRAMES) != 0) {
            int i = itemEntry(sp, transferId);
            if (i >= 0) {
                sp.controlFrames[i] |= frame;
                return;
            }
        }
        sp.controlTransferIds[sp.controlCount] = transferId;
        sp.controlFrames[sp.controlCount] = frame;
        sp.controlValues[sp.controlCount] = 0;
        sp.controlCount++;
    }

    /** The entry of {@code sp} holding item frames of outgoing transfer {@code transferId}, or -1. */
    private static int itemEntry(SentPacket sp, int transferId) {
        for (int i = 0; i < sp.controlCount; i++) {
            if (sp.controlTransferIds[i] == transferId && (sp.controlFrames[i] & OUTGOING_ITEM_FRAMES) != 0
                    && (sp.controlFrames[i] & ~OUTGOING_ITEM_FRAMES) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an item frame of {@code transferId} can still be recorded in {@code sp}. */
    private static boolean hasEntryFor(SentPacket sp, int transferId) {
        return sp.controlCount < SentPacket.MAX_CONTROL_ENTRIES || itemEntry(sp, transferId) >= 0;
    }

    /** Whether a frame of {@code t} that the receiver may take only after its OPEN needs the OPEN beside it. */
    private static boolean needsOpen(SentPacket sp, OutgoingTransfer t) {
        return !t.openAcked && !carriesOpen(sp, t.transferId);
    }

    private static int openLength(OutgoingTransfer t) {
        return t.openLengthBytes;
    }

    /** Writes {@code t}'s OPEN unless it is acknowledged or already in {@code sp} (room checked by the caller). */
    private static int writeOpenIfNeeded(ByteBuffer dst, int off, SentPacket sp, OutgoingTransfer t) {
        if (!needsOpen(sp, t)) {
            return off;
        }
        off = OpenFrame.encode(dst, off, t.transferId, t.info.kind(), t.openFlags(), t.sizeBytes, t.openSha256(),
                t.info.mediaType(), t.info.name(), t.openExtensions);
        t.openPending = false;
        record(sp, t.transferId, CTRL_OPEN);
        return off;
    }

    /**
     * Writes the packet's CHUNK and, when room is left, the whole pending data of further transfers, each with its
     * OPEN until acknowledged and its DIGEST once the data was read: a small item leaves as OPEN + CHUNK + DIGEST in
     * one datagram, and several small items share one (one control entry each, at most
     * {@link SentPacket#MAX_CONTROL_ENTRIES} per packet). An item that does not fit whole starts the next packet
     * instead of being split. A probe carries one chunk.
     */
    private int writeChunk(ByteBuffer dst, int off, int end, SentPacket sp, boolean probe, long nowNs) {
        java.util.List<OutgoingTransfer> order = c.outgoing.order;
        int n = order.size();
        int start = c.outgoing.roundRobin;
        boolean first = true;
        for (int k = 0; k < n; k++) {
            int idx = (start + k) % n;
            OutgoingTransfer t = order.get(idx);
            if (!t.hasChunkToSend()) {
                continue;
            }
            // Until the receiver has the OPEN, every chunk travels with it: a receiver drops (and does not
            // acknowledge) chunks of a transfer it does not know, and without acknowledgements the loss of the
            // OPEN alone could only be found by probe timeouts.
            int openBytes = needsOpen(sp, t) ? openLength(t) : 0;
            int space = end - off - openBytes - ChunkFrame.HEADER_LENGTH;
            if (space <= 0 || ((!first || openBytes > 0) && !hasEntryFor(sp, t.transferId))) {
                return off;
            }
            long chunkOffset = t.nextChunkOffset(probe);
            int len = t.nextChunkLength(Math.min(space, ChunkFrame.MAX_DATA_LENGTH), probe);
            if (!first) {
                int whole = t.nextChunkLength(ChunkFrame.MAX_DATA_LENGTH, false);
                int digestBytes = t.completesDigest(chunkOffset, whole) ? DigestFrame.LENGTH : 0;
                if (whole + digestBytes > space || chunkOffset >= MAX_EXTRA_CHUNK_OFFSET) {
                    return off;
                }
            }
            c.outgoing.roundRobin = (idx + 1) % n;
            off = writeOpenIfNeeded(dst, off, sp, t);
            boolean retransmission = t.nextIsRetransmission(probe);
            int dataIndex = ChunkFrame.writeHeader(dst, off, t.transferId, chunkOffset, len);
            dst.limit(dataIndex + len).position(dataIndex);
            boolean ok = t.readChunk(chunkOffset, len, dst);
            dst.limit(dst.capacity()).position(0);
            if (!ok) {
                c.outgoing.finish(t, ErrorCode.SINK_FAILED, null,
                        "could not read the item to send (was the file changed or removed?)", nowNs);
                return off;
            }
            if (first) {
                sp.chunkTransferId = t.transferId;
                sp.chunkOffset = chunkOffset;
                sp.chunkLength = len;
                first = false;
            } else {
                record(sp, t.transferId, CTRL_CHUNK);
                sp.controlValues[itemEntry(sp, t.transferId)] = chunkOffset << 16 | len;
            }
            c.stats.add(ConnectionStats.CHUNK_BYTES_SENT, len);
            if (retransmission) {
                c.stats.add(ConnectionStats.CHUNK_BYTES_RETRANSMITTED, len);
            }
            off = dataIndex + len;
            if (t.digestPending && t.state == OutgoingTransfer.State.ACTIVE && end - off >= DigestFrame.LENGTH
                    && !needsOpen(sp, t) && hasEntryFor(sp, t.transferId)) {
                // The hash was just completed by this read (or is still owed): it goes beside the data and the
                // OPEN, so the receiver can verify the item without another packet (section 4.8a).
                off = DigestFrame.encode(dst, off, t.transferId, t.sha256());
                t.digestPending = false;
                record(sp, t.transferId, CTRL_DIGEST);
            }
            if (probe) {
                return off;
            }
        }
        return off;
    }

    private int writeAckOnly(ByteBuffer dst, int size, long nowNs) {
        SentPacket sp = c.ring.add();
        int end = size - c.protection.overheadBytes();
        int off = startPacket(dst, sp);
        off = c.ack.writeAckFrame(dst, off, Math.min(maxAckFrameBytes(), end - off - PingFrame.LENGTH), nowNs);
        sp.largestAckCarried = c.ack.lastLargestAcknowledged();
        boolean withPing = ++c.ackOnlySinceEliciting >= ACK_ONLY_PING_INTERVAL;
        if (withPing) {
            off = PingFrame.write(dst, off);
            c.ackOnlySinceEliciting = 0;
        }
        int len = c.protection.seal(dst, 0, off);
        sp.sizeBytes = len;
        sp.ackEliciting = withPing;
        sp.inFlight = withPing;
        c.recovery.onPacketSent(sp, nowNs);
        countSent(len);
        return len;
    }

    private int maxAckFrameBytes() {
        return MIN_PATH_DATAGRAM_BYTES - PacketHeader.LENGTH - c.protection.overheadBytes() - PingFrame.LENGTH;
    }

    private int writeMtuProbe(ByteBuffer dst, long nowNs) {
        int probeBytes = c.pathMtu.probeBytes();
        SentPacket sp = c.ring.add();
        int off = startPacket(dst, sp);
        off = PingFrame.write(dst, off);
        int end = probeBytes - c.protection.overheadBytes();
        PaddingFrame.fill(dst, off, end);
        int len = c.protection.seal(dst, 0, end);
        sp.sizeBytes = len;
        sp.mtuProbe = true;
        sp.ackEliciting = true;
        sp.inFlight = false;
        c.recovery.onPacketSent(sp, nowNs);
        c.pathMtu.onProbeSent();
        c.stats.inc(ConnectionStats.MTU_PROBES_SENT);
        countSent(len);
        return len;
    }

    private int writeClose(ByteBuffer dst) {
        c.closeSendsLeft--;
        if (!c.ring.hasRoom()) {
            return 0;
        }
        SentPacket sp = c.ring.add();
        int off = startPacket(dst, sp);
        off = CloseFrame.encode(dst, off, c.closeCode, c.closeReason);
        int len = c.protection.seal(dst, 0, off);
        countSent(len);
        return len;
    }

    private void countSent(int len) {
        c.stats.inc(ConnectionStats.PACKETS_SENT);
        c.stats.add(ConnectionStats.BYTES_SENT, len);
    }
}
