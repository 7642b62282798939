package io.udpix.cli.hostile;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a {@link RawPeer}'s connection alive like a well-behaved but silent peer would: it acknowledges every
 * DATA packet from the server (so nothing times out for lack of acknowledgements), sends a PING every
 * {@link #KEEP_ALIVE} and collects the frames the server sent.
 */
final class PeerPump {
    static final Duration KEEP_ALIVE = Duration.ofMillis(250);

    private final RawPeer peer;
    private final List<Frames.Frame> frames = new ArrayList<>();
    private final List<RawPeer.Packet> resets = new ArrayList<>();
    private long largestReceived = -1;
    private long lastPingNs;

    PeerPump(RawPeer peer) {
        this.peer = peer;
    }

    /** Receives, acknowledges and keeps alive for {@code duration}. */
    void run(Duration duration) throws IOException {
        long deadlineNs = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadlineNs) {
            long leftNs = deadlineNs - System.nanoTime();
            RawPeer.Packet p = peer.receive(Duration.ofNanos(Math.max(1_000_000,
                    Math.min(leftNs, KEEP_ALIVE.toNanos() / 2))));
            if (p != null) {
                if (p.type() == RawPeer.PacketTypes.DATA) {
                    largestReceived = Math.max(largestReceived, p.packetNumber());
                    frames.addAll(Frames.parse(p.body()));
                    peer.sendFrames(Frames.ack(largestReceived, largestReceived));
                } else if (p.type() == RawPeer.PacketTypes.RESET) {
                    resets.add(p);
                }
            }
            if (System.nanoTime() - lastPingNs >= KEEP_ALIVE.toNanos()) {
                lastPingNs = System.nanoTime();
                peer.sendFrames(largestReceived >= 0
                        ? Frames.concat(Frames.ping(), Frames.ack(largestReceived, largestReceived))
                        : Frames.ping());
            }
        }
    }

    /** Every frame received so far. */
    List<Frames.Frame> frames() {
        return frames;
    }

    /** Transfers refused or failed by the server: distinct transfer IDs with a RESULT whose code is not OK. */
    long refusals() {
        return frames.stream().filter(f -> f.type() == Frames.RESULT && f.code() != 0)
                .mapToLong(Frames.Frame::transferId).distinct().count();
    }

    /** Distinct transfers that got a RESULT with {@code code}. */
    long transfersWithResult(int code) {
        return frames.stream().filter(f -> f.type() == Frames.RESULT && f.code() == code)
                .mapToLong(Frames.Frame::transferId).distinct().count();
    }

    /** The RESULT codes received, by transfer, for failure messages. */
    String resultsText() {
        StringBuilder text = new StringBuilder();
        frames.stream().filter(f -> f.type() == Frames.RESULT).map(f -> f.transferId() + ":" + f.code() + " "
                + new String(f.bytes(), java.nio.charset.StandardCharsets.UTF_8)).distinct()
                .forEach(t -> text.append(t).append("; "));
        return text.toString();
    }

    /** RESETs received. */
    List<RawPeer.Packet> resets() {
        return resets;
    }
}
