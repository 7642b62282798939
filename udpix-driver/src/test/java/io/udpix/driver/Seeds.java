package io.udpix.driver;

/** The seed of a randomized test: {@code -Dudpix.seed=N} replays one; otherwise a fresh one per run. */
public final class Seeds {
    private Seeds() {}

    public static long seed() {
        String fixed = System.getProperty("udpix.seed", "").trim();
        return fixed.isEmpty() ? System.nanoTime() ^ 0x5DEECE66DL : Long.parseLong(fixed);
    }
}
