package io.udpix.testkit;

import java.util.concurrent.ThreadLocalRandom;

/** Seeds for randomized tests: fixed with {@code -Dudpix.seed=N}, random otherwise, and how to say which. */
public final class Seeds {
    /** The system property that pins the seed (the root pom passes it to surefire). */
    public static final String PROPERTY = "udpix.seed";

    private Seeds() {
    }

    /**
     * The seed given with {@code -Dudpix.seed=N} (decimal, or 0x-prefixed hex), else a fresh random seed. Prints
     * nothing: a failing test reports it with {@link #describe}.
     *
     * @throws IllegalArgumentException if the property is set but is not a number
     */
    public static long seedOrRandom() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return ThreadLocalRandom.current().nextLong() ^ System.nanoTime();
        }
        try {
            return Long.decode(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + "='" + value + "' is not a number; pass e.g. -D"
                    + PROPERTY + "=123", e);
        }
    }

    /** "seed=123 (re-run with -Dudpix.seed=123)": put it in every randomized assertion message. */
    public static String describe(long seed) {
        return "seed=" + seed + " (re-run with -D" + PROPERTY + "=" + seed + ")";
    }
}
