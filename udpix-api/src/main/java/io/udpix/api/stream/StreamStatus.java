package io.udpix.api.stream;

import io.udpix.api.StreamRate;
import io.udpix.engine.stream.StreamStats;
import java.net.InetSocketAddress;

/**
 * One frame stream of a server or client now: who, where, the engine's figures and the frame rate. The one type
 * for stream figures: {@code UdpixServer.streamStats()} and {@code UdpixClient.streamStats()} return it, and so do
 * {@code ServerStats.streams()} and {@code SocketStats.streams()} (which also fill in the frame rate).
 *
 * @param peer                      the other side
 * @param localPort                 the local port
 * @param streamName                the stream's label (may be empty)
 * @param stats                     the engine's figures (on time, late, lost, latency percentiles...)
 * @param framesDroppedSlowListener server: frames replaced because the frame listener was still busy
 * @param framesPerSecond           frames per second since the previous stats snapshot of the same socket:
 *                                  delivered on time (receiver) or sent (sender); 0 on the first snapshot that
 *                                  shows the stream and from {@code streamStats()}, which keeps no previous one
 */
@SuppressWarnings("deprecation") // implements the deprecated StreamRate so code written against it still compiles
public record StreamStatus(InetSocketAddress peer, int localPort, String streamName, StreamStats stats,
        long framesDroppedSlowListener, double framesPerSecond) implements StreamRate {

    /** A status with no frame rate yet (0). */
    public StreamStatus(InetSocketAddress peer, int localPort, String streamName, StreamStats stats,
            long framesDroppedSlowListener) {
        this(peer, localPort, streamName, stats, framesDroppedSlowListener, 0);
    }

    /** {@code HOST:PORT#ID}, as {@link Frame#streamKey()}. */
    public String streamKey() {
        return StreamEnd.key(peer, stats.streamId());
    }

    /** This status with {@code fps} as its frame rate. */
    public StreamStatus withFramesPerSecond(double fps) {
        return new StreamStatus(peer, localPort, streamName, stats, framesDroppedSlowListener, fps);
    }
}
