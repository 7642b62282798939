package io.udpix.api.stream;

import io.udpix.engine.stream.StreamStats;
import java.net.InetSocketAddress;

/**
 * One open stream of a server or client now ({@code UdpixServer.streamStats()}, {@code UdpixClient.streamStats()}).
 *
 * @param peer       the other side
 * @param localPort  the local port
 * @param streamName the stream's label (may be empty)
 * @param stats      the engine's figures
 * @param framesDroppedSlowListener server: frames replaced because the frame listener was still busy
 */
public record StreamStatus(InetSocketAddress peer, int localPort, String streamName, StreamStats stats,
        long framesDroppedSlowListener) {

    /** {@code HOST:PORT#ID}, as {@link Frame#streamKey()}. */
    public String streamKey() {
        return StreamEnd.key(peer, stats.streamId());
    }
}
