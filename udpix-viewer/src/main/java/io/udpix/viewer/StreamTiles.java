package io.udpix.viewer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live stream tiles of a wall, in the order their streams first appeared, at most
 * {@link #MAX_STREAM_TILES}: room for a new stream is made by removing the tile of the stream that ended first,
 * or, when none has ended, of the stream that was updated least recently (a sender that vanished without an end).
 * Touched only on the event dispatch thread; no locks.
 */
final class StreamTiles {

    /** At most this many stream tiles (the engine's default stream limit per connection is also 16). */
    static final int MAX_STREAM_TILES = 16;

    private final Map<String, StreamTile> tiles = new LinkedHashMap<>();
    private final Collection<StreamTile> view = Collections.unmodifiableCollection(tiles.values());
    private long sequence;
    private long tilesRemoved;

    /**
     * Applies {@code update} at {@code nowNs}; true when the set of tiles changed (one was added, and perhaps
     * another removed), so the layout must be redone, false when only that stream's tile changed.
     */
    boolean apply(StreamUpdates.Update update, long nowNs) {
        StreamTile tile = tiles.get(update.key());
        boolean added = false;
        if (tile == null) {
            if (tiles.size() >= MAX_STREAM_TILES) {
                removeOne();
            }
            tile = new StreamTile(update.key());
            tiles.put(update.key(), tile);
            added = true;
        }
        tile.apply(update, ++sequence, nowNs);
        return added;
    }

    private void removeOne() {
        StreamTile victim = null;
        for (StreamTile tile : tiles.values()) {
            if (victim == null || isBetterVictim(tile, victim)) {
                victim = tile;
            }
        }
        if (victim != null) {
            tiles.remove(victim.key);
            tilesRemoved++;
        }
    }

    /** Ended before live; among ended, the first to end; among live, the least recently updated. */
    private static boolean isBetterVictim(StreamTile tile, StreamTile than) {
        if (tile.ended() != than.ended()) {
            return tile.ended();
        }
        return tile.ended()
                ? tile.endedSequence() < than.endedSequence()
                : tile.lastUpdateSequence() < than.lastUpdateSequence();
    }

    /** The tiles in display order (a read-only view). */
    Collection<StreamTile> tiles() {
        return view;
    }

    /** The tile of {@code key}, or null. */
    StreamTile get(String key) {
        return tiles.get(key);
    }

    /** The position of {@code key}'s tile among the stream tiles, or -1. */
    int indexOf(String key) {
        int index = 0;
        for (String each : tiles.keySet()) {
            if (each.equals(key)) {
                return index;
            }
            index++;
        }
        return -1;
    }

    int size() {
        return tiles.size();
    }

    /** The keys in display order (a copy). */
    List<String> keys() {
        return new ArrayList<>(tiles.keySet());
    }

    /** Tiles removed to make room. */
    long tilesRemoved() {
        return tilesRemoved;
    }
}
