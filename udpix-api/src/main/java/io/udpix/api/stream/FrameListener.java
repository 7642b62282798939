package io.udpix.api.stream;

/**
 * Takes the frames of incoming streams. Runs on the server's frame thread, never on a driver thread: while it is
 * busy, up to 4 frames of a stream wait for it, and a newer one then pushes out the oldest (latest wins, counted in
 * {@link StreamStatus#framesDroppedSlowListener()}), so a slow listener skips frames but never delays the network.
 */
@FunctionalInterface
public interface FrameListener {
    /** One complete, in-order frame. */
    void onFrame(Frame frame);
}
