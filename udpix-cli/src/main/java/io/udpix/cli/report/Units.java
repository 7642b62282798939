package io.udpix.cli.report;

import java.time.Duration;
import java.util.Locale;

/** Formats durations, rates and names for people. */
public final class Units {

    private static final int MAX_NAME_CHARS = 200;

    private Units() {
    }

    /** {@code 0.4 ms}, {@code 12.3 ms}, {@code 2.35 s}, {@code 3 min 05 s}. */
    public static String duration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos < 60_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        long seconds = duration.toSeconds();
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    /** Decimal units as network rates are usually given: {@code 950 B/s}, {@code 1.23 MB/s}, {@code 12.3 GB/s}. */
    public static String rate(double bytesPerSecond) {
        String[] units = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
        double value = bytesPerSecond;
        int unit = 0;
        while (value >= 999.5 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        String pattern = unit == 0 || value >= 99.95 ? "%.0f %s" : value >= 9.995 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, pattern, value, units[unit]);
    }

    /** Byte counts in binary units: {@code 512 B}, {@code 1.50 KiB}, {@code 200 MiB}, {@code 1.00 GiB}. */
    public static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1023.995 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String pattern = value >= 99.995 ? "%.0f %s" : value >= 9.995 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, pattern, value, units[unit]);
    }

    /**
     * A name from the network made safe to print on one terminal line: control and format characters (escape
     * sequences, U+202E) become {@code ?}; quoted when it has spaces or quotes, so the line stays parseable.
     */
    public static String printableName(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS) + 2);
        boolean needsQuotes = name.isEmpty();
        for (int i = 0; i < name.length() && out.length() < MAX_NAME_CHARS; ) {
            int codePoint = name.codePointAt(i);
            i += Character.charCount(codePoint);
            int type = Character.getType(codePoint);
            if (Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.SURROGATE) {
                out.append('?');
            } else {
                needsQuotes |= Character.isWhitespace(codePoint) || codePoint == '"';
                out.appendCodePoint(codePoint);
            }
        }
        if (!needsQuotes) {
            return out.toString();
        }
        // Inside quotes, quotes and backslashes are escaped (as in JSON and shells) so the end stays findable.
        return '"' + out.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
