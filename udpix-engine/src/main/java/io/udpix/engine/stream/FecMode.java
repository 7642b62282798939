package io.udpix.engine.stream;

/**
 * How much forward error correction a stream's sender adds (sender-local; only PARITY frames travel):
 * {@code off}, a fixed {@code percent} of parity bytes over data bytes, or {@code auto} (sized per frame from the
 * measured loss rate, the RTT and the latency budget by {@code FecPlanner}).
 */
public record FecMode(Kind kind, int percent) {
    /** The three modes. */
    public enum Kind { OFF, AUTO, PERCENT }

    /** No parity. */
    public static final FecMode OFF = new FecMode(Kind.OFF, 0);
    /** Parity sized from loss, RTT and budget. */
    public static final FecMode AUTO = new FecMode(Kind.AUTO, 0);

    /** Validates the percent (1..100 for PERCENT). */
    public FecMode {
        if (kind == Kind.PERCENT && (percent < 1 || percent > 100)) {
            throw new IllegalArgumentException("FEC percent must be 1-100, got " + percent);
        }
    }

    /** A fixed share of parity: {@code percent} parity bytes per 100 data bytes (rounded to whole groups). */
    public static FecMode percent(int percent) {
        return new FecMode(Kind.PERCENT, percent);
    }

    /** Parses {@code auto}, {@code off} or {@code N} / {@code N%}; errors name the accepted forms. */
    public static FecMode parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.equals("off") || t.equals("0") || t.equals("0%")) {
            return OFF;
        }
        try {
            return percent(Integer.parseInt(t.endsWith("%") ? t.substring(0, t.length() - 1) : t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fec takes auto, off or a percent 1-100 (e.g. 20), not '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return kind == Kind.PERCENT ? percent + "%" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
