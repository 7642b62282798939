package io.udpix.cli.hostile;

import io.udpix.cli.CliProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code udpix serve} in its own JVM (a heap limit of its own), with its port and resident memory. */
final class ServeProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration READY = Duration.ofSeconds(20);
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(10);
    /** The first "used NK" of GC.heap_info: the whole heap's use (G1, Serial and Parallel all print it first). */
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final CliProcess process;
    private final int port;

    private ServeProcess(CliProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code java JVM_OPTIONS ... udpix serve --port 0 --out DIR ARGS} and waits for its ready line. */
    static ServeProcess start(Path workDir, List<String> jvmOptions, Path out, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("serve", "--port", "0", "--out", out.toString()));
        command.addAll(List.of(args));
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djava.awt.headless=true");
        options.add(configDirOption(workDir));
        CliProcess process = CliProcess.start(workDir, options, command.toArray(String[]::new));
        String ready = process.out().await(line -> PORT.matcher(line).find(), READY);
        if (ready == null) {
            process.close();
            throw new AssertionError("serve did not get ready within " + READY + "\n" + process.transcript());
        }
        Matcher m = PORT.matcher(ready);
        m.find();
        return new ServeProcess(process, Integer.parseInt(m.group(1)));
    }

    /**
     * Keeps a child process's keys and known servers in {@code workDir/config}, never the user's own config
     * directory (a child does not inherit the test JVM's system properties).
     */
    static String configDirOption(Path workDir) {
        return "-Dudpix.config.dir=" + workDir.resolve("config");
    }

    /** The bound port on 127.0.0.1. */
    int port() {
        return port;
    }

    /** The CLI process (output, exit). */
    CliProcess cli() {
        return process;
    }

    /** Resident memory now, in bytes (Linux /proc); -1 where unknown. */
    long residentBytes() {
        return procStatusBytes("VmRSS:");
    }

    /** The highest resident memory so far, in bytes (Linux /proc); -1 where unknown. */
    long peakResidentBytes() {
        return procStatusBytes("VmHWM:");
    }

    /**
     * The heap still in use after a full collection (what the server really holds), from the JDK's jcmd
     * ({@code GC.run} then {@code GC.heap_info}); -1 where jcmd is missing or its output is not understood.
     */
    long liveHeapBytes() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        String pid = Long.toString(process.process().pid());
        try {
            run(jcmd.toString(), pid, "GC.run");
            Matcher m = HEAP_USED.matcher(run(jcmd.toString(), pid, "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(JCMD_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within " + JCMD_TIMEOUT);
        }
        return new String(output, java.nio.charset.StandardCharsets.UTF_8);
    }

    private long procStatusBytes(String field) {
        Path status = Path.of("/proc", Long.toString(process.process().pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // Reported in kB.
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        process.close();
    }
}
