package io.udpix.viewer;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The hand-over of live stream frames from receiving threads to the event dispatch thread, holding at most the
 * latest update of each stream: a frame that arrives before the previous one was taken replaces it (and is
 * counted as skipped), so a display slower than the stream never builds a queue and always shows the newest
 * frame. At most one drain task is on the event queue at a time, however many streams and frames arrive, so
 * 60 fps from many streams costs the event queue at most one task per paint cycle.
 *
 * <p>All methods are thread-safe. A plain lock is enough: it is held only to swap a map entry (tens of
 * nanoseconds), at most a few thousand times per second.
 */
final class StreamUpdates {

    /**
     * At most this many streams may wait between two drains; a frame of a further stream is refused and counted
     * (the event queue is stuck or the caller opened far more streams than the wall can show). With the tiles'
     * own frames this bounds the images the viewer holds to 3 x {@link StreamTiles#MAX_STREAM_TILES} frames
     * plus one scaled copy per tile.
     */
    static final int MAX_PENDING_STREAMS = 2 * StreamTiles.MAX_STREAM_TILES;

    /** Frames and ends together: ends may use the room above {@link #MAX_PENDING_STREAMS}. */
    static final int MAX_PENDING_ENTRIES = 2 * MAX_PENDING_STREAMS;

    /** One stream's latest state, waiting to be applied on the event dispatch thread. */
    record Update(String key, BufferedImage image, StreamCaption caption, boolean ended, long framesSkipped) {
    }

    private final Consumer<Runnable> eventQueue;
    private final Consumer<Update> sink;
    private final Object lock = new Object();
    /** Insertion order, so streams are applied in the order they first waited (new tiles appear in that order). */
    private final Map<String, Update> pending = new LinkedHashMap<>();
    private boolean drainScheduled;
    private long framesOffered;
    private long framesSkipped;
    private long framesRefused;
    private long endsRefused;

    /**
     * @param eventQueue runs a task on the thread that owns {@code sink} ({@code EventQueue::invokeLater})
     * @param sink       receives each stream's latest update on that thread
     */
    StreamUpdates(Consumer<Runnable> eventQueue, Consumer<Update> sink) {
        this.eventQueue = Objects.requireNonNull(eventQueue, "eventQueue");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Offers the latest frame of {@code key}; false when refused because too many streams wait. */
    boolean offerFrame(String key, BufferedImage image, StreamCaption caption) {
        boolean schedule;
        synchronized (lock) {
            framesOffered++;
            Update previous = pending.get(key);
            if (previous == null && pending.size() >= MAX_PENDING_STREAMS) {
                framesRefused++;
                return false;
            }
            long skipped = 0;
            if (previous != null) {
                // The previous frame never reached the screen: newest wins.
                skipped = previous.framesSkipped() + (previous.image() != null ? 1 : 0);
                framesSkipped += previous.image() != null ? 1 : 0;
            }
            pending.put(key, new Update(key, image, caption, false, skipped));
            schedule = scheduleLocked();
        }
        if (schedule) {
            eventQueue.accept(this::drain);
        }
        return true;
    }

    /**
     * Marks {@code key} ended with {@code finalCaption}. A frame still waiting is kept (it is the last one the
     * stream delivered, and the ended tile shows it). Ends have room of their own beyond the frames' limit, so
     * a stream's end is not lost because other streams' frames fill the hand-over; false only when even that is
     * full.
     */
    boolean offerEnd(String key, StreamCaption finalCaption) {
        boolean schedule;
        synchronized (lock) {
            Update previous = pending.get(key);
            if (previous == null && pending.size() >= MAX_PENDING_ENTRIES) {
                endsRefused++;
                return false;
            }
            BufferedImage image = previous == null ? null : previous.image();
            long skipped = previous == null ? 0 : previous.framesSkipped();
            pending.put(key, new Update(key, image, finalCaption, true, skipped));
            schedule = scheduleLocked();
        }
        if (schedule) {
            eventQueue.accept(this::drain);
        }
        return true;
    }

    private boolean scheduleLocked() {
        if (drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    /** Hands every waiting update to the sink; runs on the sink's thread. */
    void drain() {
        List<Update> updates;
        synchronized (lock) {
            drainScheduled = false;
            updates = new ArrayList<>(pending.values());
            pending.clear();
        }
        for (Update update : updates) {
            sink.accept(update);
        }
    }

    /** Frames offered so far. */
    long framesOffered() {
        synchronized (lock) {
            return framesOffered;
        }
    }

    /** Frames replaced by a newer one of their stream before they were applied. */
    long framesSkipped() {
        synchronized (lock) {
            return framesSkipped;
        }
    }

    /** Frames refused because {@link #MAX_PENDING_STREAMS} streams were already waiting. */
    long framesRefused() {
        synchronized (lock) {
            return framesRefused;
        }
    }

    /** Ends refused because {@link #MAX_PENDING_ENTRIES} streams were already waiting. */
    long endsRefused() {
        synchronized (lock) {
            return endsRefused;
        }
    }

    /** Streams waiting now. */
    int pendingStreams() {
        synchronized (lock) {
            return pending.size();
        }
    }
}
