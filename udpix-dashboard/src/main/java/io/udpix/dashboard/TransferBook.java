package io.udpix.dashboard;

import io.udpix.api.ServerEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transfers in progress plus the last {@link #MAX_FINISHED} finished, from the server's events. Written on the
 * callback thread, read by HTTP threads; each call holds the lock for a map operation only.
 */
final class TransferBook {
    /** Finished transfers kept (OBS.md). */
    static final int MAX_FINISHED = 20;
    /** Transfers in progress tracked at once; beyond it a new one is not shown (the server allows 1,024). */
    static final int MAX_IN_PROGRESS = 256;

    private final Map<Key, TransferRow> inProgress = new LinkedHashMap<>();
    private final ArrayDeque<TransferRow> finished = new ArrayDeque<>(MAX_FINISHED);

    /** Applies one event. */
    synchronized void apply(ServerEvent e) {
        Key key = new Key(e.port(), Text.address(e.sender()), e.name());
        TransferRow row = new TransferRow(e.port(), key.sender(), e.name(), e.kind().name(), e.doneBytes(),
                e.sizeBytes(), e.rateBytesPerSecond(), e.type().name(), e.message());
        switch (e.type()) {
            case STARTED, PROGRESS -> {
                if (inProgress.containsKey(key) || inProgress.size() < MAX_IN_PROGRESS) {
                    inProgress.put(key, row);
                }
            }
            default -> {
                inProgress.remove(key);
                if (finished.size() == MAX_FINISHED) {
                    finished.removeLast();
                }
                finished.addFirst(row);
            }
        }
    }

    /** Transfers in progress (oldest first), then finished ones (newest first). */
    synchronized List<TransferRow> rows() {
        List<TransferRow> rows = new ArrayList<>(inProgress.size() + finished.size());
        rows.addAll(inProgress.values());
        for (Iterator<TransferRow> it = finished.iterator(); it.hasNext(); ) {
            rows.add(it.next());
        }
        return rows;
    }

    /** Events carry no transfer ID; two identical items at once share a row. */
    private record Key(int port, String sender, String name) {}
}
