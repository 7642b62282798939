package io.udpix.engine.connection;

import io.udpix.engine.recovery.SentPacket;
import io.udpix.engine.stream.OutgoingFrame;
import io.udpix.engine.stream.OutgoingStream;
import io.udpix.engine.stream.OutgoingStreams;
import io.udpix.wire.AbandonFrame;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.ParityFrame;
import io.udpix.wire.StreamCloseFrame;
import io.udpix.wire.StreamOpenFrame;
import java.nio.ByteBuffer;

/**
 * The stream part of the send path (docs/PROTOCOL.md sections 4.13-4.16): the control frames our streams owe
 * (STREAM_OPEN, ABANDON, STREAM_CLOSE) in the control section, and the one FRAGMENT or PARITY per packet
 * {@link OutgoingStreams#pick} chose, with the stream's STREAM_OPEN beside it until that is acknowledged. Every
 * packet records exactly what it carried in its {@link SentPacket}, so {@link PacketFateHandler} acknowledges or
 * re-queues exactly that (quinn's per-packet retransmits model).
 */
final class StreamWriter {
    static final int CTRL_STREAM_OPEN = 64;
    static final int CTRL_ABANDON = 128;
    static final int CTRL_STREAM_CLOSE = 256;
    /**
     * Room a stream packet leaves for an ACK frame: its header and four ranges. Fragments are sized so that one
     * always fits beside such an ACK; a larger ACK waits for a packet with room.
     */
    static final int ACK_RESERVE_BYTES = io.udpix.wire.AckFrame.length(4);
    private static final byte[] NO_REASON = new byte[0];

    private final Connection c;
    /** Bytes the picked stream frame (and its STREAM_OPEN, if it must travel with it) needs; 0 none picked. */
    private int pickedNeedBytes;

    StreamWriter(Connection c) {
        this.c = c;
    }

    /** Bytes a FRAGMENT or PARITY may take in a full datagram of {@code size} bytes beside an ACK. */
    int roomBytes(int size) {
        return size - c.protection.overheadBytes() - PacketHeader.LENGTH - ACK_RESERVE_BYTES;
    }

    /**
     * Chooses the next stream frame for a packet of {@code size} bytes; returns the bytes it needs in that packet
     * (with its STREAM_OPEN when not yet acknowledged), or 0 when no stream has anything to send.
     */
    int pick(int size, long nowNs) {
        pickedNeedBytes = 0;
        OutgoingStreams s = c.outStreams;
        if (!s.pick(nowNs, c.streamRttNs(), c.cc.pacingRateBytesPerSecond(), roomBytes(size),
                c.recovery.recentLossRate())) {
            return 0;
        }
        OutgoingStream stream = s.pickedStream();
        OutgoingFrame f = s.pickedFrame();
        int need = s.pickedKind() == OutgoingStreams.Kind.PARITY
                ? OutgoingStreams.PARITY_HEADER_BYTES + f.fragmentBytes()
                : OutgoingStreams.FRAGMENT_HEADER_BYTES + f.fragmentLength(s.pickedIndex());
        if (stream.openUnacknowledged()) {
            need += OutgoingStreams.openFrameBytes(stream);
        }
        if (need > size - c.protection.overheadBytes() - PacketHeader.LENGTH) {
            s.abandonPicked();
            return 0;
        }
        pickedNeedBytes = need;
        return need;
    }

    /** Whether some stream owes a control frame that may go now. */
    boolean hasControl() {
        return !c.outStreams.isEmpty() && c.outStreams.hasControl();
    }

    /** Writes the control frames our streams owe between {@code off} and {@code end}; returns the new offset. */
    int writeControls(ByteBuffer dst, int off, int end, SentPacket sp, long nowNs) {
        OutgoingStreams s = c.outStreams;
        if (s.isEmpty() || !s.peerReady()) {
            return off;
        }
        for (int k = 0, n = s.size(); k < n && sp.controlCount < SentPacket.MAX_CONTROL_ENTRIES; k++) {
            OutgoingStream t = s.at(k);
            if (t.openPendingNow()) {
                if (end - off < OutgoingStreams.openFrameBytes(t)) {
                    break;
                }
                off = writeOpen(dst, off, t, sp, nowNs);
            } else if (t.abandonPendingNow()) {
                if (end - off < AbandonFrame.LENGTH) {
                    break;
                }
                long upTo = t.abandonedUpTo();
                off = AbandonFrame.encode(dst, off, t.streamId(), upTo);
                s.onAbandonSent(t);
                record(sp, t.streamId(), CTRL_ABANDON, upTo);
            } else if (t.closePendingNow()) {
                if (end - off < StreamCloseFrame.REASON_OFFSET) {
                    break;
                }
                long frames = Math.min(t.framesStarted(), StreamCloseFrame.FROM_RECEIVER - 1);
                off = StreamCloseFrame.encode(dst, off, t.streamId(), frames, t.closeCode(), NO_REASON);
                s.onCloseSent(t);
                record(sp, t.streamId(), CTRL_STREAM_CLOSE, 0);
            }
        }
        return off;
    }

    private int writeOpen(ByteBuffer dst, int off, OutgoingStream t, SentPacket sp, long nowNs) {
        var p = t.params();
        off = StreamOpenFrame.encode(dst, off, t.streamId(), p.codec().wireValue(), 0,
                (int) (t.budgetNs() / 1_000_000), p.fpsHintCenti(), p.width(), p.height(), Math.max(0, nowNs / 1000),
                t.nameUtf8());
        c.outStreams.onOpenSent(t);
        record(sp, t.streamId(), CTRL_STREAM_OPEN, 0);
        return off;
    }

    /**
     * Writes the picked FRAGMENT or PARITY (after {@link #pick}), with the STREAM_OPEN when it must travel along;
     * returns the new offset, unchanged when it does not fit (then nothing is marked sent).
     */
    int writeData(ByteBuffer dst, int off, int end, SentPacket sp, long nowNs) {
        OutgoingStreams s = c.outStreams;
        if (pickedNeedBytes == 0 || s.pickedKind() == OutgoingStreams.Kind.NONE) {
            return off;
        }
        OutgoingStream t = s.pickedStream();
        OutgoingFrame f = s.pickedFrame();
        boolean withOpen = t.openUnacknowledged() && !carries(sp, t.streamId(), CTRL_STREAM_OPEN);
        int need = pickedNeedBytes - (t.openUnacknowledged() && !withOpen ? OutgoingStreams.openFrameBytes(t) : 0);
        if (end - off < need || (withOpen && sp.controlCount >= SentPacket.MAX_CONTROL_ENTRIES)) {
            return off;
        }
        if (withOpen) {
            // Until the receiver has the STREAM_OPEN, every stream packet carries it: a fragment never arrives
            // before its stream, as items send OPEN with each CHUNK.
            off = writeOpen(dst, off, t, sp, nowNs);
        }
        int index = s.pickedIndex();
        // The wire's clocks are unsigned microseconds; a monotonic clock below zero (its origin is arbitrary) reads 0.
        long captureUs = Math.max(0, f.captureNs() / 1000);
        int dataAt;
        if (s.pickedKind() == OutgoingStreams.Kind.PARITY) {
            dataAt = ParityFrame.writeHeader(dst, off, t.streamId(), f.frameNumber(), 0, captureUs, f.lengthBytes(),
                    f.fragmentBytes(), f.stride(), index);
            f.writeParity(index, dst, dataAt);
            off = dataAt + f.fragmentBytes();
            sp.streamParityGroup = index;
        } else {
            boolean repair = s.pickedKind() == OutgoingStreams.Kind.RETRANSMISSION;
            int len = f.fragmentLength(index);
            dataAt = FragmentFrame.writeHeader(dst, off, t.streamId(), f.frameNumber(),
                    repair ? FragmentFrame.FLAG_RETRANSMISSION : 0, captureUs, f.lengthBytes(), f.fragmentBytes(), index);
            f.copyFragment(index, dst, dataAt);
            off = dataAt + len;
            sp.streamFragment = index;
        }
        sp.streamId = t.streamId();
        sp.streamFrameNumber = f.frameNumber();
        s.onPickedSent();
        pickedNeedBytes = 0;
        return off;
    }

    private static boolean carries(SentPacket sp, int streamId, int frame) {
        for (int i = 0; i < sp.controlCount; i++) {
            if (sp.controlTransferIds[i] == streamId && (sp.controlFrames[i] & frame) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void record(SentPacket sp, int streamId, int frame, long value) {
        sp.controlTransferIds[sp.controlCount] = streamId;
        sp.controlFrames[sp.controlCount] = frame;
        sp.controlValues[sp.controlCount] = value;
        sp.controlCount++;
    }
}
