package io.udpix.api;

/** Makes free text (an exception's message) fit a metadata value: one line, at most 255 UTF-8 bytes. */
final class ReplyText {
    private ReplyText() {
    }

    /** {@code text} with control characters as spaces, unpaired surrogates as '?', cut at a character boundary. */
    static String metaValue(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), ItemMeta.MAX_VALUE_BYTES));
        int usedBytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F)) {
                codePoint = ' ';
            } else if (Character.getType(codePoint) == Character.SURROGATE) {
                codePoint = '?';
            }
            int bytes = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (usedBytes + bytes > ItemMeta.MAX_VALUE_BYTES) {
                break;
            }
            usedBytes += bytes;
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }
}
