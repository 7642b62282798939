package io.udpix.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Python scripts of examples/python (tests using them are skipped when python3 is missing). */
public final class PythonExamples {

    /** examples/python, from the module directory Maven runs tests in. */
    public static final Path DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("../examples/python").toAbsolutePath().normalize();
    private static final long TIMEOUT_SECONDS = 60;

    private PythonExamples() {
    }

    /** Skips the calling test unless python3 and the examples are there. */
    public static void assumeAvailable() {
        boolean available;
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            available = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            available = false;
        }
        assumeTrue(available, "python3 is not installed; skipping the Python example tests");
        assumeTrue(Files.isRegularFile(DIR.resolve("plain_send.py")), "examples not found at " + DIR);
    }

    /** Runs {@code python3 SCRIPT ARGS} to the end; returns its exit code and output. */
    public static Cli.Result run(String script, String... args) throws IOException, InterruptedException {
        Process process = start(script, args);
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Cli.Result(process.exitValue(), out.lines().toList(), err.lines().toList());
    }

    /** Starts {@code python3 SCRIPT ARGS}. */
    public static Process start(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }
}
