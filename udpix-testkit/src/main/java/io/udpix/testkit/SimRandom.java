package io.udpix.testkit;

/**
 * A seeded random stream (xoshiro256**, seeded through SplitMix64) whose output is fixed by this file rather than
 * by the JDK, so a seed replays bit for bit on any Java version.
 *
 * <p>Not thread-safe: the simulator is single-threaded and every link owns its own stream.
 */
public final class SimRandom {
    /** 2^64 / golden ratio: SplitMix64's increment. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** A stream fully determined by {@code seed}. */
    public SimRandom(long seed) {
        long x = seed;
        x += GOLDEN_GAMMA;
        s0 = mix64(x);
        x += GOLDEN_GAMMA;
        s1 = mix64(x);
        x += GOLDEN_GAMMA;
        s2 = mix64(x);
        x += GOLDEN_GAMMA;
        s3 = mix64(x);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = GOLDEN_GAMMA; // the all-zero state is xoshiro's only fixed point
        }
    }

    /**
     * A seed for the independent stream number {@code streamId} of {@code seed}: links, scenarios and tests each
     * take their own stream so adding draws to one never shifts another.
     */
    public static long derive(long seed, long streamId) {
        return mix64(mix64(seed ^ 0x5DEECE66DL) + GOLDEN_GAMMA * (streamId + 1));
    }

    /** SplitMix64's finalizer: a bijective 64-bit mix. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, bound); {@code bound} must be positive. Unbiased (rejection sampling). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = bound - 1;
        long r = nextLong() >>> 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        // Rejects the top partial block of [0, 2^63) so every residue is equally likely (as java.util.Random).
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // retry; expected < 2 iterations for any bound
        }
        return r;
    }

    /** Uniform in [origin, boundExclusive). */
    public long nextLong(long origin, long boundExclusive) {
        if (boundExclusive <= origin) {
            throw new IllegalArgumentException("empty range [" + origin + ", " + boundExclusive + ")");
        }
        return origin + nextLong(boundExclusive - origin);
    }

    /** Uniform in [0, bound); {@code bound} must be positive. */
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [origin, bound). */
    public double nextDouble(double origin, double bound) {
        return origin + (bound - origin) * nextDouble();
    }

    /** True with probability {@code p}; draws nothing when {@code p <= 0} or {@code p >= 1}. */
    public boolean chance(double p) {
        if (p <= 0) {
            return false;
        }
        if (p >= 1) {
            return true;
        }
        return nextDouble() < p;
    }

    /** Log-uniform in [min, max] (both positive): as many values per decade, for sizes and rates. */
    public double nextLogUniform(double min, double max) {
        if (min <= 0 || max < min) {
            throw new IllegalArgumentException("log-uniform needs 0 < min <= max, got [" + min + ", " + max + "]");
        }
        return Math.min(max, Math.exp(Math.log(min) + (Math.log(max) - Math.log(min)) * nextDouble()));
    }
}
