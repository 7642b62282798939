package io.udpix.engine;

import io.udpix.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The seeds a random-scenario test runs: {@code -Dudpix.seed=N} replays one, otherwise a default count of
 * consecutive seeds from a random base; {@code -Dudpix.scenarios=N} sets how many (a sweep). Every scenario runs
 * even after one failed, so that one CI run names every failing seed, not only the first.
 */
final class SeedSweep {
    /** The system property that sets how many consecutive seeds run. */
    static final String SCENARIOS_PROPERTY = "udpix.scenarios";

    private final long base;
    private final int count;
    private final List<Long> failedSeeds = new ArrayList<>();
    private AssertionError first;

    private SeedSweep(long base, int count) {
        this.base = base;
        this.count = count;
    }

    /** From the system properties: one seed when {@code udpix.seed} is given, else {@code defaultCount}. */
    static SeedSweep fromProperties(int defaultCount) {
        Long fixed = Long.getLong(Seeds.PROPERTY);
        long base = fixed != null ? fixed : Seeds.seedOrRandom();
        return new SeedSweep(base, Integer.getInteger(SCENARIOS_PROPERTY, fixed != null ? 1 : defaultCount));
    }

    /** The first seed. */
    long base() {
        return base;
    }

    /** How many consecutive seeds run. */
    int count() {
        return count;
    }

    /**
     * Runs the scenario of {@code seed}; its AssertionError is printed ("FAILED seed=...") and kept, not thrown.
     * Returns what the scenario returned, or null when it failed.
     */
    <T> T run(long seed, Supplier<T> scenario) {
        try {
            return scenario.get();
        } catch (AssertionError e) {
            failedSeeds.add(seed);
            System.out.printf("FAILED seed=%d: %s%n", seed, e.getMessage().lines().findFirst().orElse(""));
            first = first == null ? e : first;
            return null;
        }
    }

    /** The seeds that failed so far, for the summary line. */
    List<Long> failedSeeds() {
        return failedSeeds;
    }

    /** Throws one AssertionError naming every failing seed, with the first failure's message, if any failed. */
    void throwIfAnyFailed() {
        if (first != null) {
            throw new AssertionError(failedSeeds.size() + " of " + count + " scenarios failed, seeds " + failedSeeds
                    + " (re-run one with -D" + Seeds.PROPERTY + "=N); the first:\n" + first.getMessage(), first);
        }
    }
}
