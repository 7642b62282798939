package io.udpix.engine.connection;

import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import io.udpix.engine.stream.StreamStats;
import java.net.InetSocketAddress;

/** Small helpers both stream directions of a connection use (docs/PROTOCOL.md section 5.8.1). */
final class StreamSupport {
    private StreamSupport() {
    }

    /**
     * Why streams cannot be opened towards a peer that did not set FEATURES bit STREAMS (an older udpix, or one
     * configured not to take streams), or null when it takes them or the handshake has not said yet.
     */
    static String unsupportedReason(boolean peerTakesStreams, boolean inHandshake, boolean weAreClient,
            InetSocketAddress peer) {
        if (peerTakesStreams || inHandshake) {
            return null;
        }
        return "the " + (weAreClient ? "server" : "client") + " at " + peer + " does not take frame streams: it runs"
                + " an older udpix (or is configured not to take streams); upgrade it or enable streams there";
    }

    /** Figures of a stream that never carried a frame (refused before it started). */
    static StreamStats emptyStats(long connectionId, int streamId, StreamParams params) {
        return new StreamStats(connectionId, streamId, false, params == null ? StreamCodec.OTHER : params.codec(),
                params == null ? 0 : params.latencyBudgetNs(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
