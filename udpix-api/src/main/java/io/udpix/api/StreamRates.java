package io.udpix.api;

import io.udpix.api.stream.StreamStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Frame rates between two snapshots of the same socket's streams. Keeps one entry per stream of the previous
 * snapshot only, so it is bounded by the streams alive (maxStreamsPerConnection x connections).
 */
final class StreamRates {
    private Map<Key, long[]> previous = new HashMap<>();

    /** {@code streams} taken at {@code atNs}, each with its frame rate against the previous call. */
    synchronized List<StreamStatus> rates(List<StreamStatus> streams, long atNs) {
        Map<Key, long[]> next = new HashMap<>(streams.size() * 2);
        List<StreamStatus> out = new ArrayList<>(streams.size());
        for (StreamStatus status : streams) {
            var s = status.stats();
            Key key = new Key(s.connectionId(), s.streamId(), s.incoming());
            long frames = s.incoming() ? s.onTime() : s.frames();
            long[] before = previous.get(key);
            double fps = 0;
            if (before != null && atNs > before[1]) {
                fps = (frames - before[0]) * 1e9 / (atNs - before[1]);
            }
            next.put(key, new long[] {frames, atNs});
            out.add(status.withFramesPerSecond(fps));
        }
        previous = next;
        return out;
    }

    private record Key(long connectionId, int streamId, boolean incoming) {}
}
