package io.udpix.api;

import java.util.Locale;

/** Sizes for people: {@code 3.1 GiB}, {@code 512 KiB}, {@code 17 bytes}. */
final class Sizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    /** {@code bytes} in binary units with one decimal above 1 KiB. */
    static String text(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
