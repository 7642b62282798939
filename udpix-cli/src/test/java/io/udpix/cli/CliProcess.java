package io.udpix.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code udpix} as a separate JVM ({@code java [JVM options] -cp <test class path> io.udpix.cli.Main ARGS}): for
 * what only a real process shows (heap limits, signals, a headless demo).
 */
public final class CliProcess implements AutoCloseable {

    private static final long PUMP_DRAIN_MS = 10_000;

    private final Process process;
    private final LineCollector out = new LineCollector();
    private final LineCollector err = new LineCollector();
    private final Thread outPump;
    private final Thread errPump;

    private CliProcess(Process process) {
        this.process = process;
        this.outPump = pump(process.getInputStream(), out, "stdout");
        this.errPump = pump(process.getErrorStream(), err, "stderr");
    }

    /** Starts {@code udpix ARGS} in {@code workDir} with {@code jvmOptions}. */
    public static CliProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        return new CliProcess(builder.start());
    }

    /** Its standard output, line by line as it comes. */
    public LineCollector out() {
        return out;
    }

    /** Its standard error. */
    public LineCollector err() {
        return err;
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /**
     * Sends SIGTERM. Through the process handle: {@link Process#destroy()} also closes our ends of its pipes, which
     * would lose the lines it prints while stopping.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Waits up to {@code timeout} for the exit code; fails the test when it does not end. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("udpix did not exit within " + timeout + "\nstdout:\n" + out.text()
                    + "\nstderr:\n" + err.text());
        }
        // The pipes may still hold the last lines: read them before anyone looks.
        outPump.join(PUMP_DRAIN_MS);
        errPump.join(PUMP_DRAIN_MS);
        return process.exitValue();
    }

    /** Stdout and stderr, for assertion messages. */
    public String transcript() {
        return "stdout:\n" + out.text() + "\nstderr:\n" + err.text();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static Thread pump(InputStream in, LineCollector into, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    into.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "udpix-process-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
