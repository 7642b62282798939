package io.udpix.api.store;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a file name chosen by a remote sender into a safe base name for the output directory: no directories,
 * no {@code ..}, no control characters, nothing Windows refuses, at most {@link #MAX_NAME_BYTES} bytes of UTF-8.
 */
public final class SafeNames {

    /** Longest name produced, in UTF-8 bytes; below the 255-byte limit of common file systems, with room for
     *  the {@code " (N)"} suffix {@link OutputStore} adds on a clash. */
    public static final int MAX_NAME_BYTES = 200;

    /** An extension longer than this is treated as part of the name when trimming. */
    private static final int MAX_EXTENSION_BYTES = 16;

    /** Characters Windows forbids in names (besides controls); also refused here so output is portable. */
    private static final String RESERVED_CHARACTERS = "<>:\"/\\|?*";

    /** Device names Windows treats specially in any directory, with or without an extension. */
    private static final Set<String> RESERVED_NAMES = Set.of(
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "COM\u00B9", "COM\u00B2", "COM\u00B3",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            "LPT\u00B9", "LPT\u00B2", "LPT\u00B3");

    private SafeNames() {
    }

    /**
     * The safe base name for {@code senderName}, or {@code fallback} (e.g. {@code "item-7.bin"}) when nothing
     * usable is left.
     *
     * @param senderName the name the sender gave; may be null
     * @param fallback   a plain name to use instead; must itself be safe
     * @throws IllegalArgumentException when the fallback is not a safe name
     */
    public static String baseName(String senderName, String fallback) {
        Objects.requireNonNull(fallback, "fallback");
        String cleaned = senderName == null ? "" : clean(senderName);
        if (!cleaned.isEmpty()) {
            return cleaned;
        }
        String cleanedFallback = clean(fallback);
        if (cleanedFallback.isEmpty() || !cleanedFallback.equals(fallback)) {
            throw new IllegalArgumentException("fallback name '" + fallback
                    + "' is not a safe base name; pass a plain name such as item-1.bin");
        }
        return fallback;
    }

    /** True when {@code name} is already what {@link #baseName} would return for it. */
    public static boolean isSafe(String name) {
        return name != null && !name.isEmpty() && clean(name).equals(name);
    }

    /**
     * One component of a relative name ({@link TreeNames}) cleaned by the same rules as a base name; {@code ""}
     * when nothing usable is left ({@code ..}, {@code .}, only dots, spaces or controls).
     */
    static String cleanComponent(String raw) {
        return clean(raw);
    }

    private static String clean(String raw) {
        // NFC so that one visible name has one spelling (macOS sends decomposed accents).
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        // Any directory part goes, for both separators: a Windows sender may send "..\\..\\x".
        int lastSeparator = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(lastSeparator + 1);
        name = dropUnsafeCharacters(name);
        name = trimDotsAndSpaces(name);
        if (name.isEmpty()) {
            return "";
        }
        name = trimToMaxBytes(name);
        // Trimming may expose a trailing dot or space again ("abc. def" cut after the dot).
        name = trimDotsAndSpaces(name);
        if (isReservedDeviceName(name)) {
            name = "_" + name;
        }
        return name;
    }

    private static String dropUnsafeCharacters(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            i += Character.charCount(codePoint);
            int type = Character.getType(codePoint);
            boolean unsafe = Character.isISOControl(codePoint)
                    // Format characters (U+202E right-to-left override, zero-width joiners) disguise names.
                    || type == Character.FORMAT
                    // A lone surrogate cannot be encoded as UTF-8.
                    || type == Character.SURROGATE
                    || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE
                    || (codePoint < 128 && RESERVED_CHARACTERS.indexOf(codePoint) >= 0);
            if (!unsafe) {
                out.appendCodePoint(codePoint);
            }
        }
        return out.toString();
    }

    /**
     * Leading dots would hide the file (and {@code ..} names the parent); Windows silently drops trailing dots
     * and spaces, which would make two different names collide there.
     */
    private static String trimDotsAndSpaces(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && (name.charAt(start) == '.' || Character.isWhitespace(name.charAt(start)))) {
            start++;
        }
        while (end > start && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1)))) {
            end--;
        }
        return name.substring(start, end);
    }

    private static boolean isReservedDeviceName(String name) {
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).strip();
        return RESERVED_NAMES.contains(stem.toUpperCase(Locale.ROOT));
    }

    /** Cuts the stem (never inside a character) so the whole name fits, keeping a short extension. */
    private static String trimToMaxBytes(String name) {
        if (utf8Length(name) <= MAX_NAME_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot) : "";
        if (utf8Length(extension) > MAX_EXTENSION_BYTES) {
            extension = "";
        }
        String stem = extension.isEmpty() ? name : name.substring(0, dot);
        int budgetBytes = MAX_NAME_BYTES - utf8Length(extension);
        return cutToBytes(stem, budgetBytes) + extension;
    }

    private static String cutToBytes(String text, int maxBytes) {
        int usedBytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int codePointBytes = utf8Length(codePoint);
            if (usedBytes + codePointBytes > maxBytes) {
                break;
            }
            usedBytes += codePointBytes;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
