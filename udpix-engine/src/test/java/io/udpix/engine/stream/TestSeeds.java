package io.udpix.engine.stream;

import java.util.concurrent.ThreadLocalRandom;

/** Seeds for randomized tests: {@code -Dudpix.seed=N} replays one; otherwise each run draws a fresh one. */
final class TestSeeds {
    private TestSeeds() {
    }

    /** The seed to use; print it in every assertion message as {@code seed=...}. */
    static long seed() {
        String property = System.getProperty("udpix.seed");
        if (property != null && !property.isBlank()) {
            return Long.parseLong(property.trim());
        }
        return ThreadLocalRandom.current().nextLong();
    }

    /** The message every assertion of a randomized test carries. */
    static String replay(long seed) {
        return "seed=" + seed + " (re-run with -Dudpix.seed=" + seed + ")";
    }
}
