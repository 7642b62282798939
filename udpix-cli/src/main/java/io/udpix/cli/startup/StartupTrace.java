package io.udpix.cli.startup;

import java.io.PrintStream;

/**
 * With {@code -Dudpix.startup.trace=true}, one line on standard error per step of a command's start-up:
 * {@code udpix startup: 412 ms (+38) connected}, milliseconds since the JVM started (the clock of
 * {@code -Xlog:...:uptime}) and since the previous step. Off, each {@link #mark} is one static field read.
 */
public final class StartupTrace {
    /** The system property that turns the trace on. */
    public static final String PROPERTY = "udpix.startup.trace";
    private static final boolean ON = Boolean.getBoolean(PROPERTY);
    private static final PrintStream ERR = System.err;
    /** JVM start in System.nanoTime's frame; read only when on (the management classes cost a start-up). */
    private static final long JVM_START_NS = ON ? jvmStartNs() : 0;
    private static long previousNs = JVM_START_NS;

    private StartupTrace() {
    }

    /** Prints {@code step} with the time since the JVM started, when the trace is on. */
    public static void mark(String step) {
        if (ON) {
            print(step);
        }
    }

    private static synchronized void print(String step) {
        long nowNs = System.nanoTime();
        ERR.printf("udpix startup: %d ms (+%d) %s%n", (nowNs - JVM_START_NS) / 1_000_000,
                (nowNs - previousNs) / 1_000_000, step);
        previousNs = nowNs;
    }

    private static long jvmStartNs() {
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        return System.nanoTime() - uptimeMs * 1_000_000;
    }
}
