package io.udpix.api;

import io.udpix.wire.OpenFrame;
import java.nio.charset.StandardCharsets;

/**
 * Makes names and media types fit the OPEN frame (docs/PROTOCOL.md sections 1 and 4.4) before they reach the
 * engine, whose encoder rejects rather than repairs them.
 */
final class WireText {
    private WireText() {
    }

    /**
     * {@code name} as OPEN-frame text: control characters (U+0000-U+001F, U+007F) become '_', unpaired surrogates
     * '?', and the UTF-8 is cut at a character boundary to at most 255 bytes.
     */
    static String name(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), OpenFrame.MAX_NAME_BYTES));
        int usedBytes = 0;
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint < 0x20 || codePoint == 0x7F) {
                codePoint = '_';
            } else if (Character.getType(codePoint) == Character.SURROGATE) {
                codePoint = '?';
            }
            int bytes = utf8Length(codePoint);
            if (usedBytes + bytes > OpenFrame.MAX_NAME_BYTES) {
                break;
            }
            usedBytes += bytes;
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }

    /**
     * {@code mediaType} checked against the wire's rule: printable US-ASCII, at most 100 bytes.
     *
     * @throws IllegalArgumentException naming the rule it breaks
     */
    static String mediaType(String mediaType) {
        String value = mediaType == null ? "" : mediaType;
        if (value.getBytes(StandardCharsets.UTF_8).length > OpenFrame.MAX_MEDIA_TYPE_BYTES) {
            throw new IllegalArgumentException("media type '" + value + "' is longer than "
                    + OpenFrame.MAX_MEDIA_TYPE_BYTES + " bytes; use a standard one such as image/png");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("media type '" + value + "' has a character outside printable "
                        + "US-ASCII at index " + i + "; use a standard one such as image/png");
            }
        }
        return value;
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
