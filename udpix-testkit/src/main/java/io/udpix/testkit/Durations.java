package io.udpix.testkit;

/** Formats virtual durations for failure messages: "0", "850 ns", "12.5 us", "25 ms", "1.5 s", "forever". */
final class Durations {
    private Durations() {
    }

    static String format(long ns) {
        if (ns == Long.MAX_VALUE) {
            return "forever";
        }
        if (ns == 0) {
            return "0";
        }
        long abs = Math.abs(ns);
        if (abs < 1_000L) {
            return ns + " ns";
        }
        if (abs < 1_000_000L) {
            return trim(ns / 1e3) + " us";
        }
        if (abs < 1_000_000_000L) {
            return trim(ns / 1e6) + " ms";
        }
        return trim(ns / 1e9) + " s";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
