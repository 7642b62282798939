package io.udpix.dashboard;

import io.udpix.api.ItemKind;
import io.udpix.api.ReceivedItem;
import io.udpix.api.ServerEvent;
import io.udpix.api.stream.Frame;
import io.udpix.api.ImageInfo;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the dashboard knows beyond the counters: the latest image per port, the last JSON messages, transfers
 * in progress and the latest frame per stream. The server's callback and frame threads write it; each call only
 * swaps a reference or appends to a bounded structure, so it never holds them up. HTTP threads read it.
 */
final class DashboardFeed {
    /** JSON messages kept (OBS.md). */
    static final int MAX_RECENT_JSON = 20;
    /** Ports with a latest image kept; the server takes at most 64 ports from the CLI. */
    static final int MAX_PORTS = 256;
    /** Largest image kept for {@code /api/latest}: bigger ones are described but not served. */
    static final long MAX_IMAGE_BYTES = 16L << 20;

    /** Told of each new image and JSON message (for SSE); must not block. */
    interface Listener {
        /** A new latest image. */
        void image(LatestImage image);

        /** A new JSON message. */
        void json(JsonMessage message);
    }

    private final Clock clock;
    private volatile Listener listener = NO_LISTENER;
    private final AtomicLong imageSeq = new AtomicLong();
    private final Map<Integer, LatestImage> images = new ConcurrentHashMap<>();
    private final ArrayDeque<JsonMessage> recentJson = new ArrayDeque<>(MAX_RECENT_JSON);
    private final TransferBook transfers = new TransferBook();
    private final LiveFrames frames = new LiveFrames();

    private static final Listener NO_LISTENER = new Listener() {
        @Override
        public void image(LatestImage image) {
        }

        @Override
        public void json(JsonMessage message) {
        }
    };

    DashboardFeed(Clock clock) {
        this.clock = clock;
    }

    /** From now on new images and JSON messages are told to {@code target}. */
    void listen(Listener target) {
        this.listener = target;
    }

    /** An item arrived (callback thread): an image becomes its port's latest, JSON a recent message. */
    void item(ReceivedItem item) {
        if (item.kind() == ItemKind.JSON) {
            json(item);
        } else if (item.kind() == ItemKind.IMAGE || item.image().isPresent()) {
            image(item);
        }
    }

    private void image(ReceivedItem item) {
        if (!images.containsKey(item.port()) && images.size() >= MAX_PORTS) {
            return;
        }
        ImageInfo info = item.image().orElse(null);
        // Above the limit the item is not referenced: its bytes (when in memory) may be freed.
        ReceivedItem keep = item.sizeBytes() > MAX_IMAGE_BYTES ? null : item;
        LatestImage image = new LatestImage(imageSeq.incrementAndGet(), item.port(), item.name(), item.sizeBytes(),
                info == null ? 0 : info.width(), info == null ? 0 : info.height(), info == null ? "" : info.format(),
                Text.address(item.sender()), keep);
        images.put(item.port(), image);
        listener.image(image);
    }

    private void json(ReceivedItem item) {
        // JSON items are always held in memory (the server's memory threshold bounds them): no file is read here.
        byte[] bytes = item.bytes().orElse(new byte[0]);
        JsonMessage message = new JsonMessage(item.port(), item.name(), Text.address(item.sender()),
                clock.instant().toString(), JsonMessage.head(bytes), bytes.length > JsonMessage.MAX_TEXT_BYTES);
        synchronized (recentJson) {
            if (recentJson.size() == MAX_RECENT_JSON) {
                recentJson.removeLast();
            }
            recentJson.addFirst(message);
        }
        listener.json(message);
    }

    /** A server event (callback thread). */
    void event(ServerEvent event) {
        transfers.apply(event);
    }

    /** A stream frame (frame thread). */
    void frame(Frame frame) {
        frames.frame(frame);
    }

    /** The latest image of {@code port}, or null. */
    LatestImage latestImage(int port) {
        return images.get(port);
    }

    /** The last JSON messages, newest first. */
    List<JsonMessage> recentJson() {
        synchronized (recentJson) {
            return new ArrayList<>(recentJson);
        }
    }

    /** Transfers in progress, then the last finished. */
    List<TransferRow> transfers() {
        return transfers.rows();
    }

    /** The streams' latest frames and viewers. */
    LiveFrames frames() {
        return frames;
    }
}
