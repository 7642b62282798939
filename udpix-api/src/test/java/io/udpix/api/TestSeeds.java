package io.udpix.api;

/** The seed for a randomized test: {@code -Dudpix.seed=N} when given (to re-run a failure), else a default. */
public final class TestSeeds {

    private TestSeeds() {
    }

    /** {@code udpix.seed} if set and not blank, else {@code defaultSeed}. */
    public static long seed(long defaultSeed) {
        String property = System.getProperty("udpix.seed");
        if (property == null || property.isBlank()) {
            return defaultSeed;
        }
        return Long.parseLong(property.strip());
    }
}
