package io.udpix.api.stream;

import io.udpix.engine.stream.StreamCodec;
import java.net.InetSocketAddress;

/**
 * A complete frame of an incoming stream, delivered on time and in order ({@code UdpixServer.Builder.onFrame}).
 * {@code bytes} are the listener's to keep.
 *
 * @param peer         the sender's address
 * @param localPort    the server port the stream came in on
 * @param streamId     the stream id (the sender's, unique per connection)
 * @param streamName   the stream's label (may be empty)
 * @param frameNumber  the frame's number in its stream (frames dropped at the sender leave no gap)
 * @param bytes        the frame, byte for byte as sent
 * @param codec        what the bytes are
 * @param captureNs    when the sender captured it, on this JVM's {@code System.nanoTime()} clock
 * @param latencyNs    capture to delivery (the stream's clock offset applied)
 * @param fecRecovered whether parity rebuilt a lost part of it
 */
public record Frame(InetSocketAddress peer, int localPort, int streamId, String streamName, long frameNumber,
        byte[] bytes, StreamCodec codec, long captureNs, long latencyNs, boolean fecRecovered) {

    /** A key naming the stream of this frame on this server: {@code HOST:PORT#ID}. */
    public String streamKey() {
        return StreamEnd.key(peer, streamId);
    }

    @Override
    public String toString() {
        return "Frame[" + streamKey() + " #" + frameNumber + ", " + bytes.length + " bytes, " + codec + ", "
                + latencyNs / 1_000 + " us" + (fecRecovered ? ", FEC" : "") + "]";
    }
}
