package io.udpix.dashboard;

import io.udpix.api.stream.Frame;
import io.udpix.engine.stream.StreamCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The latest JPEG frame of each incoming stream and the MJPEG viewers waiting for the next one. {@link #frame}
 * runs on the server's frame thread: it swaps one reference and hands the frame to each viewer's one-frame slot
 * (latest wins), never waiting and never queueing.
 */
final class LiveFrames {
    /** Streams kept at once; a new one beyond it replaces an ended one, else the least recently updated. */
    static final int MAX_STREAMS = 64;

    /** What a viewer of a stream takes. */
    interface Viewer {
        /** A newer frame: replaces any the viewer has not written yet. Must not block. */
        void offer(Frame frame);

        /** The stream ended or the dashboard closes. Must not block. */
        void end();
    }

    /** One stream's latest frame, name and viewers. */
    static final class View {
        volatile String name;
        volatile Frame latest;
        volatile long updatedNs;
        volatile boolean ended;
        final List<Viewer> viewers = new CopyOnWriteArrayList<>();

        View(String name) {
            this.name = name;
        }
    }

    private final Map<String, View> streams = new ConcurrentHashMap<>();

    /** A frame arrived (frame thread). Only JPEG frames are kept for MJPEG; others only name the stream. */
    void frame(Frame frame) {
        String key = frame.streamKey();
        View view = streams.get(key);
        if (view == null) {
            view = admit(key, frame.streamName());
        }
        view.updatedNs = System.nanoTime();
        if (view.name.isEmpty() && !frame.streamName().isEmpty()) {
            view.name = frame.streamName(); // the view was opened before the first frame came
        }
        if (frame.codec() != StreamCodec.JPEG) {
            return;
        }
        view.latest = frame;
        for (Viewer viewer : view.viewers) {
            viewer.offer(frame);
        }
    }

    /** A stream ended: its frame is let go, its viewers end. */
    void ended(String key) {
        View view = streams.remove(key);
        if (view != null) {
            view.ended = true;
            view.latest = null;
            view.viewers.forEach(Viewer::end);
        }
    }

    /** The latest JPEG frame of {@code key}, or null. */
    Frame latest(String key) {
        View view = streams.get(key);
        return view == null ? null : view.latest;
    }

    /**
     * Adds {@code viewer} to stream {@code key} (created when no frame came yet, so a page may open the view
     * first) and returns the latest frame to show at once, or null.
     */
    Frame watch(String key, Viewer viewer) {
        View view = streams.get(key);
        if (view == null) {
            view = admit(key, "");
        }
        view.viewers.add(viewer);
        return view.latest;
    }

    /** Removes {@code viewer} from stream {@code key}. */
    void unwatch(String key, Viewer viewer) {
        View view = streams.get(key);
        if (view != null) {
            view.viewers.remove(viewer);
        }
    }

    /** Ends every viewer (the dashboard closes). */
    void endAll() {
        streams.values().forEach(v -> v.viewers.forEach(Viewer::end));
    }

    /** Adds stream {@code key}, first making room (the map is never changed inside its own compute). */
    private synchronized View admit(String key, String name) {
        View view = streams.get(key);
        if (view != null) {
            return view;
        }
        if (streams.size() >= MAX_STREAMS) {
            String oldest = null;
            long oldestNs = Long.MAX_VALUE;
            for (Map.Entry<String, View> e : streams.entrySet()) {
                long at = e.getValue().ended ? Long.MIN_VALUE : e.getValue().updatedNs;
                if (at < oldestNs) {
                    oldestNs = at;
                    oldest = e.getKey();
                }
            }
            View gone = oldest == null ? null : streams.remove(oldest);
            if (gone != null) {
                gone.viewers.forEach(Viewer::end);
            }
        }
        view = new View(name);
        view.updatedNs = System.nanoTime();
        streams.put(key, view);
        return view;
    }
}
