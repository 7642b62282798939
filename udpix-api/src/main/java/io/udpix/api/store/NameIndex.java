package io.udpix.api.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The next free {@code (N)} suffix of each final name, so a clash costs one lookup instead of trying
 * {@code a (1).txt} ... {@code a (N).txt} one link() at a time (at 9,000 copies that was 28 s of file-system calls
 * per item). Seeded from the directory when the store opens; thread-safe.
 *
 * <p>Bounded: at most {@link #MAX_NAMES} names are tracked. A name beyond that is tried as it is once and, when
 * taken, gets a unique suffix instead (see {@link OutputStore#commit}), so the cost per commit stays constant.
 */
final class NameIndex {
    /** Names tracked; at about 100 bytes each, a few MiB at most. */
    static final int MAX_NAMES = 65_536;

    /** Final base name to the next suffix to try (0 is the name itself). */
    private final Map<String, Long> next = new HashMap<>();

    /** The suffix to try next for {@code name}, reserved for the caller; -1 when the name is not tracked. */
    synchronized long claim(String name) {
        Long n = next.get(name);
        if (n == null) {
            if (next.size() >= MAX_NAMES) {
                return -1;
            }
            n = 0L;
        }
        next.put(name, n + 1);
        return n;
    }

    /**
     * Records a file already in the directory: its own name, and the base name it is a numbered copy of. The name
     * may have a directory part ({@code a/b/x (2).txt}, see {@link TreeNames}); suffixes are read in the base only.
     */
    synchronized void seen(String fileName) {
        raise(fileName, 1);
        int baseStart = fileName.lastIndexOf('/') + 1;
        int dot = fileName.lastIndexOf('.');
        if (dot <= baseStart) {
            dot = -1; // no extension, or a leading dot of the base name
        }
        String stem = dot < 0 ? fileName : fileName.substring(0, dot);
        String extension = dot < 0 ? "" : fileName.substring(dot);
        if (!stem.endsWith(")")) {
            return;
        }
        int open = stem.lastIndexOf(" (");
        if (open <= baseStart) {
            return;
        }
        String digits = stem.substring(open + 2, stem.length() - 1);
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return;
        }
        raise(stem.substring(0, open) + extension, Long.parseLong(digits) + 1);
    }

    private void raise(String name, long atLeast) {
        Long n = next.get(name);
        if (n == null && next.size() >= MAX_NAMES) {
            return;
        }
        next.put(name, n == null ? atLeast : Math.max(n, atLeast));
    }

    /** Names tracked. */
    synchronized int size() {
        return next.size();
    }
}
