package io.udpix.engine.connection;

import io.udpix.engine.event.TransferProgress;
import io.udpix.engine.recovery.SentPacket;

/**
 * What happens to a packet's content when it is acknowledged or declared lost: chunks are confirmed or queued
 * again, control frames (OPEN, WINDOW, RESULT, CANCEL) stop or start being resent, MTU probes move path MTU
 * discovery, and an acknowledged ACK frame lets the receiver forget old packet numbers (RFC 9000 section 13.2.4).
 */
final class PacketFateHandler implements Recovery.PacketFate {
    /** Control entries that name one of our streams rather than a transfer. */
    private static final int STREAM_CONTROLS = StreamWriter.CTRL_STREAM_OPEN | StreamWriter.CTRL_ABANDON
            | StreamWriter.CTRL_STREAM_CLOSE;

    private final Connection c;

    PacketFateHandler(Connection c) {
        this.c = c;
    }

    private void streamControlAcked(int streamId, int frames, long value) {
        if ((frames & StreamWriter.CTRL_STREAM_OPEN) != 0) {
            c.outStreams.onOpenAcked(streamId);
        }
        if ((frames & StreamWriter.CTRL_ABANDON) != 0) {
            c.outStreams.onAbandonAcked(streamId, value);
        }
        if ((frames & StreamWriter.CTRL_STREAM_CLOSE) != 0) {
            c.outStreams.onCloseAcked(streamId);
        }
    }

    private void streamControlLost(int streamId, int frames, long value) {
        if ((frames & StreamWriter.CTRL_STREAM_OPEN) != 0) {
            c.outStreams.onOpenLost(streamId);
        }
        if ((frames & StreamWriter.CTRL_ABANDON) != 0) {
            c.outStreams.onAbandonLost(streamId, value);
        }
        if ((frames & StreamWriter.CTRL_STREAM_CLOSE) != 0) {
            c.outStreams.onCloseLost(streamId);
        }
    }

    /** Item bytes a packet carried were acknowledged: confirmed, and progress reported when due. */
    private void chunkAcked(int transferId, long offset, int length) {
        c.stats.add(ConnectionStats.CHUNK_BYTES_ACKED, length);
        OutgoingTransfer t = c.outgoing.get(transferId);
        if (t != null) {
            t.onChunkAcked(offset, length);
            if (t.progressDue()) {
                c.events.emit(new TransferProgress(c.localId, t.transferId, false, t.ackedBytes, t.sizeBytes), false);
            }
        }
    }

    /** Item bytes a packet carried were lost: queued again. */
    private void chunkLost(int transferId, long offset, int length) {
        c.stats.add(ConnectionStats.CHUNK_BYTES_LOST, length);
        OutgoingTransfer t = c.outgoing.get(transferId);
        if (t != null) {
            t.onChunkLost(offset, length);
        }
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
            chunkAcked(p.chunkTransferId, p.chunkOffset, p.chunkLength);
        }
        if (p.streamId >= 0 && p.streamFragment >= 0) {
            c.outStreams.onFragmentAcked(p.streamId, p.streamFrameNumber, p.streamFragment);
        } else if (p.streamId >= 0 && p.streamParityGroup >= 0) {
            c.outStreams.onParityAcked(p.streamId, p.streamFrameNumber, p.streamParityGroup);
        }
        for (int i = 0; i < p.controlCount; i++) {
            int id = p.controlTransferIds[i];
            int frames = p.controlFrames[i];
            if ((frames & STREAM_CONTROLS) != 0) {
                streamControlAcked(id, frames, p.controlValues[i]);
                continue;
            }
            if ((frames & PacketWriter.CTRL_CHUNK) != 0) {
                long value = p.controlValues[i];
                chunkAcked(id, value >>> 16, (int) (value & 0xFFFF));
            }
            if ((frames & PacketWriter.CTRL_OPEN) != 0) {
                OutgoingTransfer t = c.outgoing.get(id);
                if (t != null) {
                    t.openAcked = true;
                    t.openPending = false; // a copy declared lost before this one was acknowledged needs no resend
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
            if ((frames & PacketWriter.CTRL_RESUME) != 0) {
                IncomingTransfer t = c.incoming.get(id);
                if (t != null) {
                    t.resumeAcked = true;
                    t.resumePending = false; // a copy declared lost before this one was acknowledged needs no resend
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
            c.stats.inc(ConnectionStats.MTU_PROBES_LOST);
            if (c.pathMtu != null) {
                c.pathMtu.onProbeLost(p.sizeBytes);
            }
            return;
        }
        if (p.chunkTransferId >= 0) {
            chunkLost(p.chunkTransferId, p.chunkOffset, p.chunkLength);
        }
        if (p.streamId >= 0 && p.streamFragment >= 0) {
            c.outStreams.onFragmentLost(p.streamId, p.streamFrameNumber, p.streamFragment, nowNs, c.streamRttNs());
        } else if (p.streamId >= 0 && p.streamParityGroup >= 0) {
            c.outStreams.onParityLost(p.streamId, p.streamFrameNumber, p.streamParityGroup, nowNs,
                    c.streamRttNs());
        }
        for (int i = 0; i < p.controlCount; i++) {
            int id = p.controlTransferIds[i];
            int frames = p.controlFrames[i];
            if ((frames & PacketWriter.CTRL_STREAM_STOP) != 0) {
                c.incomingStreams.onStopLost(id);
                continue;
            }
            if ((frames & STREAM_CONTROLS) != 0) {
                streamControlLost(id, frames, p.controlValues[i]);
                continue;
            }
            if ((frames & PacketWriter.CTRL_CHUNK) != 0) {
                long value = p.controlValues[i];
                chunkLost(id, value >>> 16, (int) (value & 0xFFFF));
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
                if ((frames & PacketWriter.CTRL_RESUME) != 0 && !in.resumeAcked) {
                    in.resumePending = true;
                }
                if ((frames & (PacketWriter.CTRL_RESULT | PacketWriter.CTRL_CANCEL_IN)) != 0
                        && in.state == IncomingTransfer.State.FINISHED) {
                    in.resultPending = true;
                }
            }
        }
    }
}
