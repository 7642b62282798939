package io.udpix.cli.serve.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an {@link ExecCommand} for one item at a time per job slot: at most {@code jobs} processes at once (callers
 * beyond wait for a slot), each killed with its descendants at the timeout. The item's file is the process's
 * standard input too. Standard output is kept up to {@code maxOutputBytes}, standard error's last
 * {@link #STDERR_TAIL_BYTES}; both pipes are drained on threads of their own so a chatty child never blocks.
 * Thread-safe.
 */
public final class ExecRunner {
    /** Default of {@code --exec-jobs}. */
    public static final int DEFAULT_JOBS = 2;
    /** Default of {@code --exec-timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default bound on the standard output kept (the reply): 1 MiB. */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 1 << 20;
    /** Standard error kept: its last 4 KiB (the error reply shows the end of it). */
    static final int STDERR_TAIL_BYTES = 4096;
    /** How long the output threads may take to see the end of their pipes once the child is gone. */
    private static final long DRAIN_WAIT_MS = 2_000;

    private final ExecCommand command;
    private final int jobs;
    private final Duration timeout;
    private final int maxOutputBytes;
    private final Semaphore slots;
    private final AtomicLong runs = new AtomicLong();

    /**
     * A runner of {@code command} with {@code jobs} slots, {@code timeout} per run and {@code maxOutputBytes}
     * of standard output kept.
     *
     * @throws IllegalArgumentException for jobs outside 1..64, a timeout not above zero or a limit below 1
     */
    public ExecRunner(ExecCommand command, int jobs, Duration timeout, int maxOutputBytes) {
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("--exec-jobs " + jobs + " is out of range; use 1 to 64");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--exec-timeout must be above zero, was " + timeout);
        }
        if (maxOutputBytes < 1) {
            throw new IllegalArgumentException("the output limit must be at least 1 byte");
        }
        this.command = command;
        this.jobs = jobs;
        this.timeout = timeout;
        this.maxOutputBytes = maxOutputBytes;
        this.slots = new Semaphore(jobs, true);
    }

    /** The command. */
    public ExecCommand command() {
        return command;
    }

    /** Processes at once, at most. */
    public int jobs() {
        return jobs;
    }

    /** Time a run may take before it is killed. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs the command for the item at {@code file} (waiting for a free slot first) and returns how it ended.
     *
     * @throws InterruptedException when the caller is interrupted (a running process is killed first)
     */
    public ExecOutcome run(Path file) throws InterruptedException {
        slots.acquire();
        try {
            return runNow(file);
        } finally {
            slots.release();
        }
    }

    private ExecOutcome runNow(Path file) throws InterruptedException {
        List<String> argv = command.argv(file);
        long startNs = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(file.toFile()).start();
        } catch (IOException e) {
            return new ExecOutcome(-1, false, e.getMessage(), new byte[0], 0, "", System.nanoTime() - startNs);
        }
        long n = runs.incrementAndGet();
        BoundedDrain out = new BoundedDrain(process.getInputStream(), maxOutputBytes, BoundedDrain.Keep.HEAD,
                "udpix-exec-" + n + "-out");
        BoundedDrain err = new BoundedDrain(process.getErrorStream(), STDERR_TAIL_BYTES, BoundedDrain.Keep.TAIL,
                "udpix-exec-" + n + "-err");
        boolean exited;
        try {
            exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (!exited) {
            killTree(process);
            process.waitFor(DRAIN_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        long elapsedNs = System.nanoTime() - startNs;
        out.await(DRAIN_WAIT_MS);
        err.await(DRAIN_WAIT_MS);
        return new ExecOutcome(exited ? process.exitValue() : -1, !exited, null, out.kept(), out.droppedBytes(),
                new String(err.kept(), StandardCharsets.UTF_8), elapsedNs);
    }

    /**
     * Kills the process and every descendant it has now (SIGKILL: a command past its timeout gets no say). The
     * descendants are listed before the parent dies, since they are no longer its descendants afterwards.
     */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        for (ProcessHandle h : descendants) {
            h.destroyForcibly();
        }
    }
}
