package io.udpix.api;

import io.udpix.engine.stream.StreamStats;
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

    /** Rates of {@code streams} taken at {@code atNs}, against the previous call. */
    synchronized List<StreamRate> rates(List<StreamStats> streams, long atNs) {
        Map<Key, long[]> next = new HashMap<>(streams.size() * 2);
        List<StreamRate> out = new ArrayList<>(streams.size());
        for (StreamStats s : streams) {
            Key key = new Key(s.connectionId(), s.streamId(), s.incoming());
            long frames = s.incoming() ? s.onTime() : s.frames();
            long[] before = previous.get(key);
            double fps = 0;
            if (before != null && atNs > before[1]) {
                fps = (frames - before[0]) * 1e9 / (atNs - before[1]);
            }
            next.put(key, new long[] {frames, atNs});
            out.add(new StreamRate(s, fps));
        }
        previous = next;
        return out;
    }

    private record Key(long connectionId, int streamId, boolean incoming) {}
}
