package io.udpix.cli.serve;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells a running {@code serve} to stop: SIGINT or SIGTERM when it owns the process, an interrupt of the waiting
 * thread when embedded (tests, other programs).
 *
 * <p>Signals are taken over with {@code sun.misc.Signal} (module jdk.unsupported, reached by reflection so the
 * build has no internal-API warning) rather than a shutdown hook: a JVM stopped by a signal ends with 128 + the
 * signal number whatever its hooks do, while the documented exit code of a stopped server is 0. When that class is
 * missing (or the JVM runs with -Xrs), a shutdown hook does the same clean-up and halts with 0.
 */
final class StopSignal implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("INT", "TERM");
    /** What the shutdown-hook fallback waits for the server to close. */
    private static final long HOOK_WAIT_MS = 30_000;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> restore = new ArrayList<>(SIGNALS.size() + 1);
    private volatile String reason = "stopped";
    private boolean interrupted;

    private StopSignal() {
    }

    /** A stop signal fired only by {@link #request} or an interrupt: nothing process-wide is touched. */
    static StopSignal embedded() {
        return new StopSignal();
    }

    /**
     * A stop signal also fired by SIGINT and SIGTERM; {@code warn} hears why signal handling could not be set up
     * (the server then still stops cleanly, through a shutdown hook).
     */
    static StopSignal forProcess(Consumer<String> warn) {
        StopSignal signal = new StopSignal();
        signal.installHandlers(warn);
        return signal;
    }

    /** Asks the server to stop, saying why (e.g. "SIGTERM"). */
    void request(String why) {
        reason = why;
        stopRequested.countDown();
    }

    /** Waits until a stop is asked for; an interrupt counts as one. Returns why. Called by one thread. */
    String await() {
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            // The flag stays clear while the server closes (a set flag would cut its waits for transfers short);
            // close() sets it again for the caller.
            interrupted = true;
            reason = "interrupted";
        }
        return reason;
    }

    /**
     * The server has closed: lets a waiting shutdown hook finish, restores the previous signal handlers, and sets
     * the interrupt flag again when an interrupt was the stop.
     */
    @Override
    public void close() {
        stopped.countDown();
        for (Runnable r : restore) {
            r.run();
        }
        restore.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void installHandlers(Consumer<String> warn) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            onSignal(args[0]);
                            return null;
                        }
                        // equals/hashCode/toString of the proxy itself.
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "udpix serve stop handler";
                        };
                    });
            for (String name : SIGNALS) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                Object previous = handle.invoke(null, signal, handler);
                restore.add(() -> {
                    try {
                        handle.invoke(null, signal, previous);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        // The process is ending anyway; the old handler matters only to embedding programs.
                    }
                });
            }
        } catch (InvocationTargetException e) {
            warn.accept("cannot handle SIG" + String.join("/SIG", SIGNALS) + " directly (" + e.getCause()
                    + "); a shutdown hook stops the server instead");
            installHook();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warn.accept("cannot handle signals directly (" + e + "); a shutdown hook stops the server instead");
            installHook();
        }
    }

    private void onSignal(Object signal) {
        String name = "SIG" + signal.toString().replace("SIG", "");
        if (stopRequested.getCount() == 0) {
            // A second Ctrl-C while stopping: the close is already bounded by the grace period; say so.
            System.err.println("udpix serve: already stopping (bounded by --grace); please wait");
            return;
        }
        request(name);
    }

    /** Fallback: the JVM is already exiting; close the server, then halt with 0, as a signal would otherwise not. */
    private void installHook() {
        Thread hook = new Thread(() -> {
            request("shutdown");
            try {
                if (stopped.await(HOOK_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "udpix-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        restore.add(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running and will see "stopped".
            }
        });
    }
}
