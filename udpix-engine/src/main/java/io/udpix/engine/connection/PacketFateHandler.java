package io.udpix.engine.connection;

import io.udpix.engine.event.TransferProgress;
import io.udpix.engine.recovery.SentPacket;

/**
 * What happens to a packet's content when it is acknowledged or declared lost: chunks are confirmed or queued
 * again, control frames (OPEN, WINDOW, RESULT, CANCEL) stop or start being resent, MTU probes move path MTU
 * discovery, and an acknowledged ACK frame lets the receiver forget old packet numbers (RFC 9000 section 13.2.4).
 */
final class PacketFateHandler implements Recovery.PacketFate {
    private final Connection c;

    PacketFateHandler(Connection c) {
        this.c = c;
    }

    @Override
    public void onAcked(SentPacket p, long nowNs) {
        if (p.mtuProbe) {
            if (c.pathMtu != null && c.pathMtu.onProbeAcked(p.sizeBytes)) {
                c.cc.onMaxDatagramSizeChanged(c.pathMtu.currentBytes());
            }
            return;
        }
        if (p.largestAckCarried >= 0) {
            c.ack.onAckFrameAcknowledged(p.largestAckCarried);
        }
        if (p.chunkTransferId >= 0) {
            OutgoingTransfer t = c.outgoing.get(p.chunkTransferId);
            c.stats.chunkBytesAcked += p.chunkLength;
            if (t != null) {
                t.onChunkAcked(p.chunkOffset, p.chunkLength);
                if (t.progressDue()) {
                    c.events.emit(new TransferProgress(c.localId, t.transferId, false, t.ackedBytes, t.sizeBytes),
                            false);
                }
            }
        }
        for (int i = 0; i < p.controlCount; i++) {
            int id = p.controlTransferIds[i];
            int frames = p.controlFrames[i];
            if ((frames & PacketWriter.CTRL_OPEN) != 0) {
                OutgoingTransfer t = c.outgoing.get(id);
                if (t != null) {
                    t.openAcked = true;
                }
            }
            if ((frames & PacketWriter.CTRL_DIGEST) != 0) {
                OutgoingTransfer t = c.outgoing.get(id);
                if (t != null) {
                    t.digestAcked = true;
                }
            }
            if ((frames & PacketWriter.CTRL_CANCEL_OUT) != 0) {
                OutgoingTransfer t = c.outgoing.get(id);
                if (t != null && t.state == OutgoingTransfer.State.CANCELLING) {
                    c.outgoing.onCancelAcked(t, nowNs);
                }
            }
            if ((frames & (PacketWriter.CTRL_RESULT | PacketWriter.CTRL_CANCEL_IN)) != 0) {
                IncomingTransfer t = c.incoming.get(id);
                if (t != null && t.state == IncomingTransfer.State.FINISHED) {
                    c.incoming.remove(id);
                }
            }
            if ((frames & PacketWriter.CTRL_STREAM_STOP) != 0) {
                c.incomingStreams.onStopAcked(id);
            }
        }
    }

    @Override
    public void onLost(SentPacket p, long nowNs) {
        if (p.mtuProbe) {
            c.stats.mtuProbesLost++;
            if (c.pathMtu != null) {
                c.pathMtu.onProbeLost(p.sizeBytes);
            }
            return;
        }
        if (p.chunkTransferId >= 0) {
            c.stats.chunkBytesLost += p.chunkLength;
            OutgoingTransfer t = c.outgoing.get(p.chunkTransferId);
            if (t != null) {
                t.onChunkLost(p.chunkOffset, p.chunkLength);
            }
        }
        for (int i = 0; i < p.controlCount; i++) {
            int id = p.controlTransferIds[i];
            int frames = p.controlFrames[i];
            if ((frames & PacketWriter.CTRL_STREAM_STOP) != 0) {
                c.incomingStreams.onStopLost(id);
            }
            OutgoingTransfer out = c.outgoing.get(id);
            if (out != null) {
                if ((frames & PacketWriter.CTRL_OPEN) != 0 && !out.openAcked
                        && out.state == OutgoingTransfer.State.ACTIVE) {
                    out.openPending = true;
                }
                if ((frames & PacketWriter.CTRL_DIGEST) != 0 && !out.digestAcked
                        && out.state == OutgoingTransfer.State.ACTIVE) {
                    out.digestPending = true;
                }
                if ((frames & PacketWriter.CTRL_CANCEL_OUT) != 0 && out.state == OutgoingTransfer.State.CANCELLING) {
                    out.cancelPending = true;
                }
            }
            IncomingTransfer in = c.incoming.get(id);
            if (in != null) {
                if ((frames & PacketWriter.CTRL_WINDOW) != 0 && in.state == IncomingTransfer.State.RECEIVING) {
                    in.windowPending = true;
                }
                if ((frames & (PacketWriter.CTRL_RESULT | PacketWriter.CTRL_CANCEL_IN)) != 0
                        && in.state == IncomingTransfer.State.FINISHED) {
                    in.resultPending = true;
                }
            }
        }
    }
}
