package io.udpix.engine.connection;

import io.udpix.engine.DropReason;
import io.udpix.engine.PeerShares;
import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.event.TransferStarted;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.wire.AbandonFrame;
import io.udpix.wire.AckFrame;
import io.udpix.wire.CancelFrame;
import io.udpix.wire.ChunkFrame;
import io.udpix.wire.CloseFrame;
import io.udpix.wire.DigestFrame;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.FrameType;
import io.udpix.wire.OpenFrame;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PaddingFrame;
import io.udpix.wire.ParityFrame;
import io.udpix.wire.PingFrame;
import io.udpix.wire.ResultFrame;
import io.udpix.wire.ResumeFrame;
import io.udpix.wire.StreamCloseFrame;
import io.udpix.wire.StreamOpenFrame;
import io.udpix.wire.WindowFrame;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The receive path of a connection: validates every frame of a DATA packet first, then applies them.
 *
 * <p>Validation comes first so that a malformed packet changes nothing. A packet is also left unprocessed and
 * unacknowledged when it carries data we cannot take yet (a chunk of a transfer whose OPEN has not arrived, or one
 * that would need more reassembly ranges than we track): the sender then sees it as lost and sends the content
 * again in a new packet, so nothing acknowledged is ever thrown away.
 */
final class PacketReader {
    /** OPEN frames one packet may carry (a bound on validation work). */
    static final int MAX_OPENS_PER_PACKET = 64;

    private final Connection c;
    private final PacketHeader header = new PacketHeader();
    private final AckFrame ackFrame = new AckFrame();
    private final OpenFrame openFrame = new OpenFrame();
    private final ChunkFrame chunkFrame = new ChunkFrame();
    private final WindowFrame windowFrame = new WindowFrame();
    private final ResultFrame resultFrame = new ResultFrame();
    private final CancelFrame cancelFrame = new CancelFrame();
    private final DigestFrame digestFrame = new DigestFrame();
    private final ResumeFrame resumeFrame = new ResumeFrame();
    private final CloseFrame closeFrame = new CloseFrame();
    private final StreamOpenFrame streamOpenFrame = new StreamOpenFrame();
    private final FragmentFrame fragmentFrame = new FragmentFrame();
    private final ParityFrame parityFrame = new ParityFrame();
    private final AbandonFrame abandonFrame = new AbandonFrame();
    private final StreamCloseFrame streamCloseFrame = new StreamCloseFrame();
    private final int[] opensInPacket = new int[MAX_OPENS_PER_PACKET];
    private final byte[] sha = new byte[32];

    PacketReader(Connection c) {
        this.c = c;
    }

    void read(ByteBuffer buf, int start, int payloadEnd, long nowNs) {
        long pn = header.wrap(buf, start).packetNumber();
        if (!c.ack.isNew(pn)) {
            c.stats.inc(ConnectionStats.DUPLICATE_PACKETS);
            c.endpointStats.count(DropReason.DUPLICATE);
            return;
        }
        int frames = start + PacketHeader.LENGTH;
        int verdict = validate(buf, frames, payloadEnd);
        if (verdict < 0) {
            return;
        }
        boolean ackEliciting = verdict == 1;
        c.lastReceivedNs = nowNs;
        c.stats.inc(ConnectionStats.PACKETS_RECEIVED);
        c.stats.add(ConnectionStats.BYTES_RECEIVED, payloadEnd - start + c.protection.overheadBytes());
        c.trace.packetReceived(buf, start, frames, payloadEnd, pn, nowNs);
        if (c.state == Connection.State.CLOSING) {
            // RFC 9000 section 10.2.1: answer packets with CLOSE again, a bounded number of times.
            if (c.closeSendsLeft == 0 && c.stats.get(ConnectionStats.PACKETS_RECEIVED) % 4 == 0) {
                c.closeSendsLeft = 1;
            }
            applyCloseOnly(buf, frames, payloadEnd);
            return;
        }
        c.ack.onPacketReceived(pn, ackEliciting, nowNs);
        apply(buf, frames, payloadEnd, nowNs);
    }

    /** Returns -1 (dropped, counted), 0 (valid, not ack-eliciting) or 1 (valid, ack-eliciting). */
    private int validate(ByteBuffer buf, int offset, int end) {
        int opens = 0;
        boolean eliciting = false;
        int guard = 0;
        while (offset < end) {
            if (++guard > 65536) {
                c.endpointStats.count(DropReason.MALFORMED);
                return -1;
            }
            int type = buf.get(offset) & 0xFF;
            int len;
            switch (type) {
                case FrameType.PADDING -> len = PaddingFrame.check(buf, offset, end);
                case FrameType.PING -> len = PingFrame.check(buf, offset, end);
                case FrameType.ACK -> len = AckFrame.check(buf, offset, end);
                case FrameType.OPEN -> {
                    len = OpenFrame.check(buf, offset, end);
                    if (len > 0) {
                        if (opens == MAX_OPENS_PER_PACKET) {
                            len = -1;
                        } else {
                            opensInPacket[opens++] = (int) openFrame.wrap(buf, offset).transferId();
                        }
                    }
                }
                case FrameType.CHUNK -> {
                    len = ChunkFrame.check(buf, offset, end);
                    if (len > 0 && !chunkAcceptable(buf, offset, opens)) {
                        return -1;
                    }
                }
                case FrameType.WINDOW -> len = WindowFrame.check(buf, offset, end);
                case FrameType.RESULT -> len = ResultFrame.check(buf, offset, end);
                case FrameType.CANCEL -> len = CancelFrame.check(buf, offset, end);
                case FrameType.DIGEST -> {
                    len = DigestFrame.check(buf, offset, end);
                    if (len > 0 && !digestAcceptable(buf, offset, opens)) {
                        return -1;
                    }
                }
                // Every other type, the frame-stream frames included, is checked by the one frame table.
                default -> len = FrameType.check(type, buf, offset, end);
            }
            if (len <= 0) {
                c.endpointStats.count(DropReason.MALFORMED);
                return -1;
            }
            if (FrameType.isAckEliciting(type)) {
                eliciting = true;
            }
            offset += len;
        }
        return eliciting ? 1 : 0;
    }

    private boolean chunkAcceptable(ByteBuffer buf, int offset, int opens) {
        ChunkFrame f = chunkFrame.wrap(buf, offset);
        long id = f.transferId();
        if (id > Integer.MAX_VALUE) {
            c.endpointStats.count(DropReason.MALFORMED);
            return false;
        }
        IncomingTransfer t = c.incoming.get((int) id);
        if (t != null) {
            if (!t.canAccept(f.offset(), f.dataLength())) {
                c.endpointStats.count(DropReason.REASSEMBLY_LIMIT);
                return false;
            }
            return true;
        }
        if (c.incoming.finished.contains(id)) {
            return true;
        }
        for (int i = 0; i < opens; i++) {
            if (opensInPacket[i] == id) {
                return true;
            }
        }
        c.endpointStats.count(DropReason.EARLY_DATA);
        return false;
    }

    /**
     * A DIGEST for a transfer this receiver has not opened (its OPEN is late or lost) must not be acknowledged, or
     * the sender would never send it again: the packet is dropped, as for early chunks.
     */
    private boolean digestAcceptable(ByteBuffer buf, int offset, int opens) {
        long id = digestFrame.wrap(buf, offset).transferId();
        if (id > Integer.MAX_VALUE) {
            c.endpointStats.count(DropReason.MALFORMED);
            return false;
        }
        if (c.incoming.containsKey((int) id) || c.incoming.finished.contains(id)) {
            return true;
        }
        for (int i = 0; i < opens; i++) {
            if (opensInPacket[i] == id) {
                return true;
            }
        }
        c.endpointStats.count(DropReason.EARLY_DATA);
        return false;
    }

    private void applyCloseOnly(ByteBuffer buf, int offset, int end) {
        while (offset < end) {
            int type = buf.get(offset) & 0xFF;
            int len = frameLength(type, buf, offset, end);
            if (type == FrameType.CLOSE) {
                CloseFrame f = closeFrame.wrap(buf, offset);
                c.enterClosed(f.code(), f.reason());
                return;
            }
            offset += len;
        }
    }

    private static int frameLength(int type, ByteBuffer buf, int offset, int end) {
        return FrameType.check(type, buf, offset, end);
    }

    private void apply(ByteBuffer buf, int offset, int end, long nowNs) {
        while (offset < end && c.state != Connection.State.CLOSED) {
            int type = buf.get(offset) & 0xFF;
            int len = frameLength(type, buf, offset, end);
            switch (type) {
                case FrameType.ACK -> {
                    if (!c.recovery.onAck(ackFrame.wrap(buf, offset), nowNs)) {
                        c.endpointStats.count(DropReason.MALFORMED);
                    }
                }
                case FrameType.OPEN -> onOpen(openFrame.wrap(buf, offset), nowNs);
                case FrameType.CHUNK -> onChunk(chunkFrame.wrap(buf, offset), buf, nowNs);
                case FrameType.WINDOW -> onWindow(windowFrame.wrap(buf, offset));
                case FrameType.RESULT -> onResult(resultFrame.wrap(buf, offset), nowNs);
                case FrameType.CANCEL -> onCancel(cancelFrame.wrap(buf, offset), nowNs);
                case FrameType.DIGEST -> onDigest(digestFrame.wrap(buf, offset), nowNs);
                case FrameType.RESUME -> onResume(resumeFrame.wrap(buf, offset), nowNs);
                case FrameType.CLOSE -> {
                    CloseFrame f = closeFrame.wrap(buf, offset);
                    c.peerClosed(f.code(), f.reason());
                }
                case FrameType.STREAM_OPEN, FrameType.FRAGMENT, FrameType.PARITY, FrameType.ABANDON,
                        FrameType.STREAM_CLOSE -> {
                    if (!onStreamFrame(type, buf, offset, nowNs)) {
                        return;
                    }
                }
                default -> {
                    // PADDING and PING carry nothing to apply.
                }
            }
            offset += len;
        }
    }

    /**
     * A frame-stream frame (docs/PROTOCOL.md section 5.8). Returns false when it closed the connection: a peer sent
     * its stream to us although we did not advertise STREAMS (section 5.8.1).
     */
    private boolean onStreamFrame(int type, ByteBuffer buf, int offset, long nowNs) {
        if (type == FrameType.STREAM_CLOSE) {
            StreamCloseFrame f = streamCloseFrame.wrap(buf, offset);
            if (f.fromReceiver()) {
                c.onOutgoingStreamStopped(f.streamId(), f.code(), f.reason(), nowNs); // about a stream we send
                return true;
            }
        }
        if (!c.config.acceptStreams) {
            c.close(ErrorCode.PROTOCOL_VIOLATION, "the peer sent a " + FrameType.name(type) + " frame, but this"
                    + " endpoint does not take frame streams and did not advertise them (acceptStreams is false)",
                    nowNs);
            return false;
        }
        switch (type) {
            case FrameType.STREAM_OPEN -> c.incomingStreams.onOpen(streamOpenFrame.wrap(buf, offset), nowNs);
            case FrameType.FRAGMENT -> c.incomingStreams.onFragment(fragmentFrame.wrap(buf, offset), buf, nowNs);
            case FrameType.PARITY -> c.incomingStreams.onParity(parityFrame.wrap(buf, offset), buf, nowNs);
            case FrameType.ABANDON -> c.incomingStreams.onAbandon(abandonFrame.wrap(buf, offset), nowNs);
            default -> c.incomingStreams.onSenderClose(streamCloseFrame.wrap(buf, offset), nowNs);
        }
        return true;
    }

    /**
     * Section 4.4a: a must-understand entry this build does not know refuses the transfer with UNSUPPORTED_FEATURE;
     * a RESUMABLE item must announce its SHA-256 (a resumed transfer is verified against it end to end).
     */
    private boolean extensionsAcceptable(OpenFrame f, int id, TransferInfo info, boolean digestFollows, long nowNs) {
        int unknown = io.udpix.wire.OpenExtensions.firstUnknownMustUnderstand(f.buffer(), f.extensionsOffset());
        if (unknown >= 0) {
            c.endpointStats.count(DropReason.UNSUPPORTED_EXTENSION);
            refuse(id, info, ErrorCode.UNSUPPORTED_FEATURE, String.format("the item needs OPEN extension 0x%02X,"
                    + " which this udpix does not know; install matching udpix versions", unknown), nowNs);
            return false;
        }
        if (info.extensions().resumable() && digestFollows) {
            c.endpointStats.count(DropReason.MALFORMED);
            refuse(id, info, ErrorCode.PROTOCOL_VIOLATION, "a RESUMABLE OPEN must carry the SHA-256 of the whole"
                    + " content, not DIGEST_FOLLOWS (docs/PROTOCOL.md section 4.4a)", nowNs);
            return false;
        }
        return true;
    }

    private void onOpen(OpenFrame f, long nowNs) {
        long idLong = f.transferId();
        if (idLong > Integer.MAX_VALUE) {
            c.endpointStats.count(DropReason.MALFORMED);
            return;
        }
        int id = (int) idLong;
        if (c.incoming.containsKey(id) || c.incoming.finished.contains(id)) {
            return; // a retransmitted OPEN
        }
        boolean digestFollows = (f.flags() & OpenFrame.FLAG_DIGEST_FOLLOWS) != 0;
        f.copySha256(sha);
        ItemExtensions extensions = f.hasExtensions() ? OpenExtensionsReader.read(f) : ItemExtensions.NONE;
        TransferInfo info = new TransferInfo(f.kind(), f.name(), f.mediaType(), f.sizeBytes(),
                digestFollows ? null : sha, extensions);
        if (f.hasExtensions() && !extensionsAcceptable(f, id, info, digestFollows, nowNs)) {
            return;
        }
        long size = info.sizeBytes();
        // Transfers in progress count against the limit; finished ones whose RESULT is not acknowledged yet do not
        // (the sender frees its slot on the RESULT, before our RESULT's acknowledgement can reach us), within a
        // hard bound on the table.
        if (c.incoming.activeCount() >= c.config.maxIncomingTransfers
                || c.incoming.size() >= IncomingTransfers.TABLE_FACTOR * c.config.maxIncomingTransfers) {
            c.endpointStats.count(DropReason.TRANSFER_LIMIT);
            refuse(id, info, ErrorCode.TOO_MANY_TRANSFERS, "the receiver already has "
                    + c.config.maxIncomingTransfers + " items in progress from this sender", nowNs);
            return;
        }
        if (size > c.config.maxItemBytes) {
            c.endpointStats.count(DropReason.ITEM_TOO_LARGE);
            refuse(id, info, ErrorCode.TOO_LARGE, "item of " + size + " bytes exceeds the receiver's limit of "
                    + c.config.maxItemBytes + " bytes", nowNs);
            return;
        }
        int window = (int) Math.max(1, Math.min(c.config.transferWindowBytes, size));
        // Only the ring's first length is reserved now; it grows (reserving more) as data arrives ahead of delivery.
        int initialBytes = Math.min(window, IncomingTransfer.INITIAL_RING_BYTES);
        if (!reserveShares(id, info, initialBytes, nowNs)) {
            return;
        }
        TransferSink sink;
        try {
            sink = c.sinks.open(c.localId, id, c.peer, info);
        } catch (TransferRefusedException e) {
            c.incoming.releaseShares(initialBytes);
            refuse(id, info, e.errorCode(), String.valueOf(e.getMessage()), nowNs);
            return;
        } catch (RuntimeException e) {
            c.incoming.releaseShares(initialBytes);
            refuse(id, info, ErrorCode.INTERNAL, "the receiver failed to open the item: " + e, nowNs);
            return;
        }
        IncomingTransfer t = new IncomingTransfer(id, info, sink, window, nowNs, c.incoming::tryReserveRing);
        c.incoming.releaseShareBytes(initialBytes - t.reservedBytes()); // direct placement needs no ring
        t.holdsShares = true;
        if (info.extensions().resumable() && !digestFollows) {
            t.resumeAt(heldBytes(sink)); // section 5.5: RESUME names where the sender starts
        }
        c.stallTimer.arm(nowNs, c.config.stallTimeoutNs);
        c.incoming.add(t);
        c.events.emit(new TransferStarted(c.localId, id, true, info), true);
        c.incoming.deliver(t, nowNs);
    }

    /** What the sink already holds of a resumable item (0 when it cannot say). */
    private static long heldBytes(TransferSink sink) {
        try {
            return sink.resumeFromBytes();
        } catch (RuntimeException e) {
            return 0; // the sink's own failure: resuming is only an optimisation, every byte comes again
        }
    }

    /**
     * Takes the transfer's slot in its address's share, then its reassembly window from the endpoint's budget and
     * from the address's share; on refusal the sender gets a RESULT naming the limit and the option that raises it.
     */
    private boolean reserveShares(int id, TransferInfo info, int bytes, long nowNs) {
        PeerShares shares = c.budget.shares();
        InetSocketAddress address = c.peer;
        if (!shares.tryOpenTransfer(address)) {
            c.endpointStats.count(DropReason.PEER_TRANSFER_SHARE);
            refuse(id, info, ErrorCode.TOO_MANY_TRANSFERS, "the receiver already has "
                    + c.config.maxIncomingTransfersPerAddress + " items in progress from "
                    + PeerShares.describe(address) + " across its connections (the share of one address; the"
                    + " receiver's maxIncomingTransfersPerAddress raises it)", nowNs);
            return false;
        }
        if (!c.budget.tryReserve(bytes)) {
            shares.closeTransfer(address);
            c.endpointStats.count(DropReason.REASSEMBLY_LIMIT);
            refuse(id, info, ErrorCode.SERVER_BUSY, "the receiver is out of reassembly memory ("
                    + c.budget.maxBytes() + " bytes, maxReassemblyBytes); try again later", nowNs);
            return false;
        }
        if (!shares.tryReserveBytes(address, bytes)) {
            c.budget.release(bytes);
            shares.closeTransfer(address);
            c.endpointStats.count(DropReason.PEER_REASSEMBLY_SHARE);
            refuse(id, info, ErrorCode.SERVER_BUSY, "items from " + PeerShares.describe(address) + " already hold "
                    + shares.reassemblyBytes(address) + " bytes of the receiver's reassembly memory, the share of"
                    + " one address (maxReassemblyBytesPerAddress " + c.config.maxReassemblyBytesPerAddress
                    + "); try again when they finish", nowNs);
            return false;
        }
        return true;
    }

    private void refuse(int id, TransferInfo info, int code, String reason, long nowNs) {
        IncomingTransfer t = new IncomingTransfer(id, info, NullSink.INSTANCE, 0, nowNs);
        t.fail(code, reason);
        c.incoming.add(t);
        c.events.emit(new TransferStarted(c.localId, id, true, info), true);
        c.incoming.finish(t, nowNs);
    }

    private void onChunk(ChunkFrame f, ByteBuffer buf, long nowNs) {
        int id = (int) f.transferId();
        IncomingTransfer t = c.incoming.get(id);
        int length = f.dataLength();
        if (t == null || t.state != IncomingTransfer.State.RECEIVING) {
            c.stats.add(ConnectionStats.DUPLICATE_CHUNK_BYTES, length);
            return;
        }
        long offset = f.offset();
        if (t.violates(offset, length)) {
            c.endpointStats.count(DropReason.FLOW_CONTROL);
            t.fail(ErrorCode.FLOW_CONTROL_VIOLATION, "the sender sent beyond the credit or the declared size");
            c.incoming.finish(t, nowNs);
            return;
        }
        int fresh = t.onChunk(buf, f.dataOffset(), offset, length);
        if (fresh > 0) {
            t.lastProgressNs = nowNs; // what the stall timer watches: one store, no scan
        }
        if (fresh < length) {
            c.stats.add(ConnectionStats.DUPLICATE_CHUNK_BYTES, length - fresh);
        }
        c.incoming.deliver(t, nowNs);
    }

    private void onWindow(WindowFrame f) {
        OutgoingTransfer t = c.outgoing.get((int) f.transferId());
        if (t != null) {
            t.onWindow(f.maxOffset());
        }
    }

    private void onResult(ResultFrame f, long nowNs) {
        OutgoingTransfer t = c.outgoing.get((int) f.transferId());
        if (t == null) {
            return;
        }
        f.copySha256(sha);
        c.outgoing.finish(t, f.code(), sha, f.reason(), nowNs);
    }

    /** The SHA-256 of a transfer whose OPEN said it follows; repeats and strays are ignored (still acked). */
    private void onDigest(DigestFrame f, long nowNs) {
        long id = f.transferId();
        IncomingTransfer t = id > Integer.MAX_VALUE ? null : c.incoming.get((int) id);
        if (t != null && t.state == IncomingTransfer.State.RECEIVING) {
            f.copySha256(sha);
            t.onDigest(sha);
            c.incoming.deliver(t, nowNs);
        }
    }

    /**
     * The receiver's RESUME (section 4.8b): our resumable transfer starts at its offset. Beyond the declared size
     * it is FLOW_CONTROL_VIOLATION: the transfer fails and the receiver hears it in a CANCEL. Strays and repeats
     * are ignored (still acknowledged).
     */
    private void onResume(ResumeFrame f, long nowNs) {
        long id = f.transferId();
        OutgoingTransfer t = id > Integer.MAX_VALUE ? null : c.outgoing.get((int) id);
        if (t == null || !t.awaitingResume) {
            return;
        }
        if (!t.onResume(f.resumeOffset(), c.outgoing.peerInitialCreditBytes)) {
            c.endpointStats.count(DropReason.FLOW_CONTROL);
            c.outgoing.abort(t.transferId, ErrorCode.FLOW_CONTROL_VIOLATION, "the receiver's RESUME names offset "
                    + f.resumeOffset() + ", beyond the item's " + t.sizeBytes + " bytes (docs/PROTOCOL.md section"
                    + " 4.8b); a receiver bug: report it to its maintainers");
        }
    }

    private void onCancel(CancelFrame f, long nowNs) {
        int id = (int) f.transferId();
        IncomingTransfer t = c.incoming.get(id);
        if (t != null && t.state == IncomingTransfer.State.RECEIVING) {
            t.cancelledByPeer = true;
            String reason = f.reason().isEmpty() ? "the sender cancelled the item" : f.reason();
            t.fail(f.code() == ErrorCode.OK ? ErrorCode.CANCELLED : f.code(), reason);
            c.incoming.finish(t, nowNs);
        }
    }

    /** A sink for refused transfers: never written to. */
    private enum NullSink implements TransferSink {
        INSTANCE;

        @Override
        public int write(ByteBuffer src) {
            return 0;
        }

        @Override
        public void complete(byte[] sha256) {}

        @Override
        public void abort(String reason) {}
    }
}
