package io.udpix.api;

import io.udpix.api.stream.Frame;
import io.udpix.api.stream.FrameListener;
import io.udpix.api.stream.LatestWinsExecutor;
import io.udpix.api.stream.StreamEnd;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What every port of a server shares for frame streams: the application's listeners and the one frame thread
 * they run on (latest wins per stream, so a slow listener skips frames and never holds a driver thread). Without
 * a frame listener the server takes no streams: each is refused as it opens, and its sender is told.
 */
final class ServerStreams {
    /** Streams with a frame waiting for the listener at once; more are dropped and counted (bounded memory). */
    static final int MAX_WAITING_STREAMS = 1_024;
    /**
     * Frames of one stream waiting for the listener at most: the engine can release a few frames in one pass (a
     * frame completed late releases those behind it); more than this means the listener is slow, and the oldest
     * waiting frame is dropped.
     */
    static final int FRAMES_WAITING_PER_STREAM = 4;

    private final FrameListener frameListener;
    private final Consumer<StreamEnd> endListener;
    private final LatestWinsExecutor executor;
    private final AtomicInteger portSerial = new AtomicInteger();

    ServerStreams(FrameListener frameListener, Consumer<StreamEnd> endListener) {
        this.frameListener = frameListener;
        this.endListener = endListener;
        this.executor = frameListener == null && endListener == null ? null
                : new LatestWinsExecutor("udpix-server-frames", MAX_WAITING_STREAMS, FRAMES_WAITING_PER_STREAM);
    }

    /** Whether streams are taken (a frame listener was given). */
    boolean takesStreams() {
        return frameListener != null;
    }

    /** A number telling ports apart in stream keys (connection ids are per port). */
    int nextPortSerial() {
        return portSerial.incrementAndGet();
    }

    /** Hands {@code frame} to the listener on the frame thread (latest wins per {@code key}). */
    void deliver(Object key, Frame frame) {
        if (frameListener != null) {
            executor.submit(key, () -> frameListener.onFrame(frame));
        }
    }

    /** Tells the end listener, after the stream's last frame; {@code end} gets the stream's listener drops. */
    void ended(Object key, StreamEnd end) {
        if (executor == null) {
            return;
        }
        executor.submitEssential(key, () -> {
            long drops = executor.dropped(key);
            executor.forget(key);
            if (endListener != null) {
                endListener.accept(new StreamEnd(end.peer(), end.localPort(), end.streamId(), end.streamName(),
                        end.errorCode(), end.reason(), end.stats(), drops));
            }
        });
    }

    /** Frames of {@code key} replaced because the listener was busy. */
    long droppedSlowListener(Object key) {
        return executor == null ? 0 : executor.dropped(key);
    }

    /** Frames dropped over all streams because the listener was busy or too many streams waited. */
    long droppedTotal() {
        return executor == null ? 0 : executor.dropped() + executor.droppedOverLimit();
    }

    /** Runs what waits, then stops the frame thread (at most {@code timeoutMs}). */
    void shutdown(long timeoutMs) {
        if (executor != null) {
            executor.close(timeoutMs);
        }
    }

    /** Whether the calling thread is the frame thread. */
    boolean isFrameThread() {
        return executor != null && executor.isExecutorThread();
    }
}
