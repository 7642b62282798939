package io.udpix.api.stream;

import io.udpix.engine.stream.StreamStats;
import java.net.InetSocketAddress;

/**
 * An incoming stream ended: the sender closed it ({@code errorCode} 0), the server stopped it, or the connection
 * ended. Delivered after the stream's last frame.
 *
 * @param peer       the sender's address
 * @param localPort  the server port
 * @param streamId   the stream id
 * @param streamName the stream's label
 * @param errorCode  0 when closed normally, else an {@code io.udpix.wire.ErrorCode}
 * @param reason     why, in words (may be empty)
 * @param stats      the final figures
 * @param framesDroppedSlowListener frames replaced because the listener was still busy with an older one
 */
public record StreamEnd(InetSocketAddress peer, int localPort, int streamId, String streamName, int errorCode,
        String reason, StreamStats stats, long framesDroppedSlowListener) {

    /** {@code HOST:PORT#ID}, as {@link Frame#streamKey()}. */
    public String streamKey() {
        return key(peer, streamId);
    }

    /** The key of stream {@code streamId} from {@code peer}. */
    public static String key(InetSocketAddress peer, int streamId) {
        String host = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + peer.getPort() + "#" + streamId;
    }
}
