package io.udpix.driver;

import java.io.PrintStream;

/**
 * The fail-fast rule of the drivers: a {@link VirtualMachineError} (OutOfMemoryError, StackOverflowError,
 * InternalError...) on a driver thread ends the process at once with a message and exit status {@value #EXIT_STATUS}.
 *
 * <p>Why: after such an error the JVM's state is unknown. A driver thread that died of it used to leave a zombie:
 * the process up, its port bound, nothing answered, SIGTERM ignored (shutdown hooks can deadlock under OOM). So the
 * message is written without allocating where possible (a preallocated line first, then details if memory allows)
 * and the process {@link Runtime#halt halts}, skipping shutdown hooks. An ordinary RuntimeException from the
 * endpoint is not fatal: the drivers count it and go on.
 */
public final class FatalErrors {
    /** Exit status after a fatal error on a driver thread (BSD sysexits EX_SOFTWARE). */
    public static final int EXIT_STATUS = 70;
    /** Written before anything that could allocate, so it is printed even when the heap is exhausted. */
    private static final byte[] PREALLOCATED = ("udpix: fatal error on a driver thread; the process stops now (exit "
            + EXIT_STATUS + "). If it is an OutOfMemoryError, raise -Xmx or lower the connection limit.\n").getBytes();

    private FatalErrors() {}

    /** True for the errors after which the process must not go on. */
    public static boolean isFatal(Throwable e) {
        return e instanceof VirtualMachineError;
    }

    /** Halts the process if {@code e} is fatal (see {@link #isFatal}); returns normally otherwise. */
    public static void haltIfFatal(Throwable e, String where) {
        if (isFatal(e)) {
            halt(e, where);
        }
    }

    /** Prints what failed where, and halts with {@link #EXIT_STATUS}; never returns. */
    public static void halt(Throwable e, String where) {
        PrintStream err = System.err;
        try {
            err.write(PREALLOCATED, 0, PREALLOCATED.length);
            err.flush();
            err.println("udpix: " + e + " on thread " + Thread.currentThread().getName() + " (" + where + ")");
            if (e instanceof OutOfMemoryError) {
                err.println("udpix: raise the heap (-Xmx, e.g. JAVA_OPTS=-Xmx1g ./udpix serve ...) or lower the"
                        + " connection limit (serve --max-connections, maxConnections in the API; 1,024 by"
                        + " default)");
            } else if (e instanceof StackOverflowError) {
                err.println("udpix: raise the thread stack (-Xss) or report the stack below as a bug");
                e.printStackTrace(err);
            }
            err.flush();
        } catch (Throwable ignored) {
            // Nothing more can be said; halting matters more than the message.
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
