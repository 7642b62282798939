package io.udpix.engine.connection;

import io.udpix.engine.recovery.SentPacket;
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

    private final Connection c;
    private final StreamWriter streams;
    private long lastNowNs;
    /** Stream packets sent since the last CHUNK while both waited. */
    private int streamPacketsInARow;

    PacketWriter(Connection c) {
        this.c = c;
        this.streams = new StreamWriter(c);
    }

    /** Writes one datagram into {@code dst} from index 0; returns its length or 0. */
    int write(ByteBuffer dst, long nowNs) {
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
        boolean paced = c.pacer.nextSendTimeNs(nowNs, size, c.cc.pacingRateBytesPerSecond(), size) <= nowNs;
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
            d = c.pacer.nextSendTimeNs(lastNowNs, size, c.cc.pacingRateBytesPerSecond(), size);
        }
        if (c.pathMtu != null && !wantProbe) {
            long probeAt = c.pathMtu.nextProbeTimeNs();
            if (probeAt > lastNowNs) {
                d = Math.min(d, probeAt);
            }
        }
        return d;
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
            for (int i = 0, n = c.incoming.order.size(); i < n; i++) {
                IncomingTransfer t = c.incoming.order.get(i);
                if (t.windowPending || t.resultPending) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean hasChunk() {
        for (int i = 0, n = c.outgoing.order.size(); i < n; i++) {
            OutgoingTransfer t = c.outgoing.order.get(i);
            if (!t.openPending && t.hasChunkToSend()) {
                return true;
            }
        }
        return false;
    }

    private int startPacket(ByteBuffer dst, SentPacket sp) {
        return PacketHeader.write(dst, 0, PacketType.DATA, c.peerId, sp.packetNumber);
    }

    private int writeEliciting(ByteBuffer dst, int size, boolean probe, boolean windowOpen, long nowNs) {
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
        c.pacer.onPacketSent(nowNs, len, c.cc.pacingRateBytesPerSecond(), size);
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
            } else if (t.openPending && t.state == OutgoingTransfer.State.ACTIVE) {
                int need = OpenFrame.encodedLength(t.info.mediaType(), t.info.name());
                if (end - off < need) {
                    break;
                }
                off = OpenFrame.encode(dst, off, t.transferId, t.info.kind(), t.openFlags(), t.sizeBytes,
                        t.openSha256(), t.info.mediaType(), t.info.name());
                t.openPending = false;
                record(sp, t.transferId, CTRL_OPEN);
            } else if (t.digestReady() && t.state == OutgoingTransfer.State.ACTIVE) {
                if (end - off < DigestFrame.LENGTH) {
                    break;
                }
                off = DigestFrame.encode(dst, off, t.transferId, t.sha256());
                t.digestPending = false;
                record(sp, t.transferId, CTRL_DIGEST);
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
            if (t.resultPending) {
                if (end - off < ResultFrame.encodedLength(t.resultReason)) {
                    break;
                }
                off = ResultFrame.encode(dst, off, t.transferId, t.resultCode, t.resultSha256, t.resultReason);
                t.resultPending = false;
                record(sp, t.transferId, CTRL_RESULT);
            } else if (t.windowPending && t.state == IncomingTransfer.State.RECEIVING) {
                if (end - off < WindowFrame.LENGTH) {
                    break;
                }
                off = WindowFrame.encode(dst, off, t.transferId, t.creditOffset());
                t.onWindowSent();
                record(sp, t.transferId, CTRL_WINDOW);
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

    private static void record(SentPacket sp, int transferId, int frame) {
        sp.controlTransferIds[sp.controlCount] = transferId;
        sp.controlFrames[sp.controlCount] = frame;
        sp.controlCount++;
    }

    private int writeChunk(ByteBuffer dst, int off, int end, SentPacket sp, boolean probe, long nowNs) {
        int space = end - off - ChunkFrame.HEADER_LENGTH;
        if (space <= 0) {
            return off;
        }
        java.util.List<OutgoingTransfer> order = c.outgoing.order;
        int n = order.size();
        for (int k = 0; k < n; k++) {
            int idx = (c.outgoing.roundRobin + k) % n;
            OutgoingTransfer t = order.get(idx);
            if (t.openPending || !t.hasChunkToSend()) {
                continue;
            }
            c.outgoing.roundRobin = (idx + 1) % Math.max(1, n);
            if (!t.openAcked && !carriesOpen(sp, t.transferId)) {
                // Until the receiver has the OPEN, every chunk travels with it: a receiver drops (and does not
                // acknowledge) chunks of a transfer it does not know, and without acknowledgements the loss of the
                // OPEN alone could only be found by probe timeouts.
                int need = OpenFrame.encodedLength(t.info.mediaType(), t.info.name());
                if (end - off - need - ChunkFrame.HEADER_LENGTH <= 0 || sp.controlCount >= SentPacket.MAX_CONTROL_ENTRIES) {
                    return off;
                }
                off = OpenFrame.encode(dst, off, t.transferId, t.info.kind(), t.openFlags(), t.sizeBytes,
                        t.openSha256(), t.info.mediaType(), t.info.name());
                record(sp, t.transferId, CTRL_OPEN);
                space = end - off - ChunkFrame.HEADER_LENGTH;
            }
            int len = t.nextChunkLength(Math.min(space, ChunkFrame.MAX_DATA_LENGTH), probe);
            long chunkOffset = t.nextChunkOffset(probe);
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
            sp.chunkTransferId = t.transferId;
            sp.chunkOffset = chunkOffset;
            sp.chunkLength = len;
            c.stats.add(ConnectionStats.CHUNK_BYTES_SENT, len);
            if (retransmission) {
                c.stats.add(ConnectionStats.CHUNK_BYTES_RETRANSMITTED, len);
            }
            return dataIndex + len;
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
