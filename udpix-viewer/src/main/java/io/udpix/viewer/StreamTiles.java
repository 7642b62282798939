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
 * or, when none has ended, of the live stream that has sent no frame for the longest, if that is at least
 * {@link StreamTilePainter#STALL_NS} (a sender that vanished without an end). When every tile holds a stream that
 * is still sending, the new stream is not shown (counted): replacing a sending stream would make the two take
 * turns on one tile. Touched only on the event dispatch thread; no locks.
 */
final class StreamTiles {

    /** At most this many stream tiles (the engine's default stream limit per connection is also 16). */
    static final int MAX_STREAM_TILES = 16;

    private final Map<String, StreamTile> tiles = new LinkedHashMap<>();
    private final Collection<StreamTile> view = Collections.unmodifiableCollection(tiles.values());
    private long sequence;
    private long tilesRemoved;
    private long updatesNotShown;

    /** What applying an update did. */
    enum Applied {
        /** Only that stream's tile changed. */
        TILE,
        /** A tile was added (and perhaps another removed): the layout changes. */
        LAYOUT,
        /** The stream has no tile and there is no room for one: nothing changed. */
        NOT_SHOWN
    }

    /** Applies {@code update} at {@code nowNs}. */
    Applied apply(StreamUpdates.Update update, long nowNs) {
        StreamTile tile = tiles.get(update.key());
        if (tile != null) {
            tile.apply(update, ++sequence, nowNs);
            return Applied.TILE;
        }
        if (tiles.size() >= MAX_STREAM_TILES && !removeOne(nowNs)) {
            updatesNotShown++;
            return Applied.NOT_SHOWN;
        }
        tile = new StreamTile(update.key());
        tiles.put(update.key(), tile);
        tile.apply(update, ++sequence, nowNs);
        return Applied.LAYOUT;
    }

    /** Removes the tile that ended first, else the stalled one quiet the longest; false when neither exists. */
    private boolean removeOne(long nowNs) {
        StreamTile victim = null;
        for (StreamTile tile : tiles.values()) {
            if (isCandidate(tile, nowNs) && (victim == null || isBetterVictim(tile, victim))) {
                victim = tile;
            }
        }
        if (victim == null) {
            return false;
        }
        tiles.remove(victim.key);
        tilesRemoved++;
        return true;
    }

    private static boolean isCandidate(StreamTile tile, long nowNs) {
        // A live tile without any frame yet cannot be: tiles are created by a frame or an end.
        return tile.ended() || nowNs - tile.lastFrameNs() >= StreamTilePainter.STALL_NS;
    }

    /** Ended before stalled; among ended, the first to end; among stalled, the one quiet the longest. */
    private static boolean isBetterVictim(StreamTile tile, StreamTile than) {
        if (tile.ended() != than.ended()) {
            return tile.ended();
        }
        return tile.ended()
                ? tile.endedSequence() < than.endedSequence()
                : tile.lastFrameNs() < than.lastFrameNs();
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

    /** Updates of streams that had no tile when there was no room for one. */
    long updatesNotShown() {
        return updatesNotShown;
    }

    /** Tiles removed to make room. */
    long tilesRemoved() {
        return tilesRemoved;
    }
}
