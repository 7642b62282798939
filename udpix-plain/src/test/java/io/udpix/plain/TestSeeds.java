package io.udpix.plain;

/** Seeds for randomized tests: {@code -Dudpix.seed=N} replays one; otherwise a fresh one each run. */
final class TestSeeds {
    private TestSeeds() {
    }

    static long seed() {
        String fixed = System.getProperty("udpix.seed", "");
        return fixed.isBlank() ? System.nanoTime() ^ 0x5DEECE66DL : Long.parseLong(fixed.trim());
    }
}
