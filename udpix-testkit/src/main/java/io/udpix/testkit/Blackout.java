package io.udpix.testkit;

/**
 * A window [startNs, endNs) of virtual time during which a link drops everything entering it; {@code endNs ==
 * Long.MAX_VALUE} is a permanent cut.
 */
public record Blackout(long startNs, long endNs) {
    /** Validates that the window is non-empty and starts at or after 0. */
    public Blackout {
        if (startNs < 0 || endNs <= startNs) {
            throw new IllegalArgumentException("blackout [" + startNs + ", " + endNs
                    + ") is empty or starts before 0; use 0 <= startNs < endNs (endNs = Long.MAX_VALUE: forever)");
        }
    }

    /** A cut from {@code startNs} that never heals. */
    public static Blackout forever(long startNs) {
        return new Blackout(startNs, Long.MAX_VALUE);
    }

    /** Whether {@code nowNs} falls inside the window. */
    public boolean contains(long nowNs) {
        return nowNs >= startNs && nowNs < endNs;
    }

    /** Whether the window never ends. */
    public boolean isPermanent() {
        return endNs == Long.MAX_VALUE;
    }

    /** Length of the window; Long.MAX_VALUE when permanent. */
    public long durationNs() {
        return isPermanent() ? Long.MAX_VALUE : endNs - startNs;
    }

    @Override
    public String toString() {
        return "[" + startNs + ", " + (isPermanent() ? "forever" : Long.toString(endNs)) + ") ns ("
                + Durations.format(startNs) + " .. " + Durations.format(endNs) + ")";
    }
}
