package io.udpix.testkit;

/**
 * Seeded pauses of one endpoint, like a cold JVM's in its first seconds (JIT compiles, GC, run-queue waits on a
 * busy host): while paused the endpoint processes nothing. Datagrams that reach it wait in its socket receive
 * buffer (up to {@link #socketBufferBytes}; beyond that the kernel would drop them, and so does the simulator,
 * counted in {@link SimulatorStats#stallDropped()}), its timers fire when the pause ends, and it sends nothing.
 *
 * <p>{@link #count} pauses start at uniformly random times in {@code [0, withinNs)} of virtual time, each lasting a
 * uniformly random {@code [minDurationNs, maxDurationNs]}; overlapping pauses merge. The draws come from a stream
 * derived from the simulator's seed, so a seed replays them exactly ({@link Simulator#stallRandomly}).
 *
 * @param withinNs the pauses start before this time (the "first seconds")
 * @param count number of pauses, at most {@link #MAX_COUNT}
 * @param minDurationNs shortest pause
 * @param maxDurationNs longest pause
 * @param socketBufferBytes bytes the endpoint's socket holds while it is paused (the drivers ask for 4 MiB)
 */
public record EndpointStalls(long withinNs, int count, long minDurationNs, long maxDurationNs, long socketBufferBytes) {
    /** A bound on pauses per endpoint (each is one simulator task). */
    public static final int MAX_COUNT = 10_000;
    /** What udpix's drivers ask for as SO_RCVBUF (DriverOptions.defaults()). */
    public static final long DEFAULT_SOCKET_BUFFER_BYTES = 4L << 20;

    /** Checks the ranges. */
    public EndpointStalls {
        if (withinNs <= 0) {
            throw new IllegalArgumentException("withinNs must be positive, got " + withinNs);
        }
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be in [0, " + MAX_COUNT + "], got " + count);
        }
        if (minDurationNs <= 0 || maxDurationNs < minDurationNs) {
            throw new IllegalArgumentException("need 0 < minDurationNs <= maxDurationNs, got " + minDurationNs
                    + " and " + maxDurationNs);
        }
        if (socketBufferBytes <= 0) {
            throw new IllegalArgumentException("socketBufferBytes must be positive, got " + socketBufferBytes);
        }
    }

    /** {@code count} pauses of {@code minDurationNs..maxDurationNs} in the first {@code withinNs}, 4 MiB socket. */
    public static EndpointStalls within(long withinNs, int count, long minDurationNs, long maxDurationNs) {
        return new EndpointStalls(withinNs, count, minDurationNs, maxDurationNs, DEFAULT_SOCKET_BUFFER_BYTES);
    }
}
