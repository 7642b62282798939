package io.udpix.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks item metadata against the wire's META entry rules (docs/PROTOCOL.md section 5.5, OPEN extension block)
 * before it reaches the engine, whose encoder rejects rather than repairs, and keeps the room an OPEN needs for
 * udpix's own entries (REPLY_WANTED, REPLY_TO, RESUMABLE and the reply status keys).
 */
final class ItemMeta {
    /** Longest key in bytes (wire rule: 1..32 bytes of {@code [a-z0-9._-]}). */
    static final int MAX_KEY_BYTES = 32;
    /** Longest value in UTF-8 bytes (wire rule). */
    static final int MAX_VALUE_BYTES = 255;
    /** The whole extension block may hold at most 640 bytes and 24 entries (wire rule). */
    static final int MAX_BLOCK_BYTES = 640;
    static final int MAX_BLOCK_ENTRIES = 24;
    /**
     * Room kept for udpix's own entries: REPLY_WANTED (3 bytes), REPLY_TO (7), RESUMABLE (3), so an application's
     * metadata that fits here always fits in the OPEN whatever the item is sent as.
     */
    static final int RESERVED_BLOCK_BYTES = 16;
    static final int RESERVED_BLOCK_ENTRIES = 3;
    /** Per META entry: type u8 + length u16 + key length u8. */
    static final int ENTRY_OVERHEAD_BYTES = 4;
    /** Keys under this prefix are udpix's own (reply status); applications pick another prefix. */
    static final String RESERVED_PREFIX = "udpix.";
    /** Reply status key: {@code error} when the request failed at the server ({@link #ERROR} says why). */
    static final String STATUS = "udpix.status";
    /** Reply error text key. */
    static final String ERROR = "udpix.error";
    static final String STATUS_ERROR = "error";

    private ItemMeta() {
    }

    /**
     * {@code meta} plus {@code key = value}, checked; the result is unmodifiable and keeps insertion order (a key
     * already there keeps its place and takes the new value).
     *
     * @throws IllegalArgumentException naming the rule broken and the fix
     */
    static Map<String, String> with(Map<String, String> meta, String key, String value, boolean internal) {
        checkKey(key, internal);
        checkValue(key, value);
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(meta);
        copy.put(key, value);
        int bytes = blockBytes(copy);
        if (copy.size() > MAX_BLOCK_ENTRIES - RESERVED_BLOCK_ENTRIES
                || bytes > MAX_BLOCK_BYTES - RESERVED_BLOCK_BYTES) {
            throw new IllegalArgumentException("metadata of one item may have at most "
                    + (MAX_BLOCK_ENTRIES - RESERVED_BLOCK_ENTRIES) + " entries and "
                    + (MAX_BLOCK_BYTES - RESERVED_BLOCK_BYTES) + " bytes (each entry costs " + ENTRY_OVERHEAD_BYTES
                    + " bytes + key + value in UTF-8); adding '" + key + "' makes " + copy.size() + " entries and "
                    + bytes + " bytes: shorten values or send the rest as a JSON item");
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The bytes {@code meta} takes in an OPEN extension block. */
    static int blockBytes(Map<String, String> meta) {
        int bytes = 0;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            bytes += ENTRY_OVERHEAD_BYTES + e.getKey().length()
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    static void checkKey(String key, boolean internal) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("metadata key '" + key + "' must be 1.." + MAX_KEY_BYTES
                    + " characters of a-z 0-9 . _ -; e.g. \"camera\" or \"site.door\"");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("metadata key '" + key + "' has '" + c + "' at index " + i
                        + "; keys are lower-case a-z 0-9 . _ - only (e.g. \"camera-id\")");
            }
        }
        if (!internal && key.startsWith(RESERVED_PREFIX)) {
            throw new IllegalArgumentException("metadata key '" + key + "' starts with '" + RESERVED_PREFIX
                    + "', which udpix keeps for itself; pick another prefix");
        }
    }

    static void checkValue(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("metadata value of '" + key + "' is null; use \"\" for an empty one");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                throw new IllegalArgumentException("metadata value of '" + key + "' has control character U+"
                        + String.format("%04X", (int) c) + " at index " + i
                        + "; values are one line of text: remove or escape it");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a valid pair
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("metadata value of '" + key + "' has an unpaired surrogate at "
                        + "index " + i + "; it cannot be UTF-8: fix the string");
            }
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("metadata value of '" + key + "' is " + bytes + " bytes in UTF-8; "
                    + "at most " + MAX_VALUE_BYTES + " fit: shorten it or send it as a JSON item");
        }
    }
}
