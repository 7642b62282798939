package io.udpix.dashboard;

/**
 * A JSON message as the dashboard shows it: its first {@link #MAX_TEXT_BYTES} bytes only.
 *
 * @param port      the local port it arrived on
 * @param name      the name the sender gave
 * @param sender    {@code HOST:PORT}
 * @param time      when it arrived, ISO-8601
 * @param text      the message's first 2 KiB, cut at a character boundary
 * @param truncated whether the message was longer
 */
record JsonMessage(int port, String name, String sender, String time, String text, boolean truncated) {
    /** Most of a message's bytes shown (OBS.md: the first 2 KiB). */
    public static final int MAX_TEXT_BYTES = 2048;

    /** The first {@link #MAX_TEXT_BYTES} of {@code utf8} as text, never splitting a multi-byte character. */
    static String head(byte[] utf8) {
        int end = Math.min(utf8.length, MAX_TEXT_BYTES);
        if (end < utf8.length) {
            // Back off over continuation bytes (10xxxxxx) so the cut falls before a character's lead byte.
            while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
                end--;
            }
        }
        return new String(utf8, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }
}
