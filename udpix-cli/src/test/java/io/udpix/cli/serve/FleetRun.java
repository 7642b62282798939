package io.udpix.cli.serve;

import io.udpix.cli.CliProcess;
import io.udpix.kafka.load.FleetLoad;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet of issue 14 on loopback: {@code receivers} {@code udpix serve} processes (with {@code --kafka} when a
 * bootstrap is given), and {@code jvms} client JVMs each running {@link FleetLoad} with its share of the simulated
 * clients, every JVM from its own range of loopback source addresses (127.0.J.1-250: many senders, as the
 * receivers' per-address shares see them). Everything is stopped by {@link #close()}.
 */
final class FleetRun implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration READY = Duration.ofSeconds(60);
    private static final int ADDRESSES_PER_JVM = 250;

    private final Path work;
    private final List<CliProcess> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private FleetRun(Path work) {
        this.work = work;
    }

    /** Starts the receivers and waits until each listens. */
    static FleetRun start(Path work, int receivers, String bootstrap, String topic) throws Exception {
        FleetRun run = new FleetRun(work);
        try {
            for (int r = 0; r < receivers; r++) {
                List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--out",
                        work.resolve("received-" + r).toString()));
                if (bootstrap != null) {
                    args.addAll(List.of("--kafka", bootstrap, "--kafka-topic", topic));
                }
                CliProcess server = CliProcess.start(work, List.of("-Xmx256m", "-Djava.awt.headless=true",
                        "-Dudpix.config.dir=" + work.resolve("config-" + r)), args.toArray(String[]::new));
                run.servers.add(server);
            }
            for (CliProcess server : run.servers) {
                run.ports.add(awaitPort(server));
            }
        } catch (Exception | AssertionError e) {
            run.close();
            throw e;
        }
        return run;
    }

    private static int awaitPort(CliProcess server) throws InterruptedException {
        String ready = server.out().await(line -> PORT.matcher(line).find(), READY);
        if (ready == null) {
            throw new AssertionError("serve did not get ready within " + READY + "\n" + server.transcript());
        }
        Matcher m = PORT.matcher(ready);
        m.find();
        return Integer.parseInt(m.group(1));
    }

    /** The receivers' ports on 127.0.0.1. */
    List<Integer> ports() {
        return ports;
    }

    /** The result of one client JVM: its summary words and its confirmed-items file. */
    record ClientJvm(int exitCode, Map<String, String> summary, Path confirmed, String transcript) {
        long value(String key) {
            return Long.parseLong(summary.getOrDefault(key, "-1"));
        }

        double decimal(String key) {
            return Double.parseDouble(summary.getOrDefault(key, "NaN"));
        }
    }

    /**
     * Runs {@code jvms} client JVMs at once, {@code clients} simulated clients in all, {@code items} images each,
     * and waits for them all (at most {@code timeout}).
     */
    List<ClientJvm> load(int jvms, int clients, int items, int concurrencyPerJvm, int imageBytes, long seed,
            Duration timeout) throws Exception {
        String servers = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        List<Process> processes = new ArrayList<>();
        List<Path> confirmedFiles = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int j = 0; j < jvms; j++) {
                int share = clients / jvms + (j < clients % jvms ? 1 : 0);
                StringBuilder binds = new StringBuilder();
                for (int a = 1; a <= ADDRESSES_PER_JVM; a++) {
                    binds.append(a == 1 ? "" : ",").append("127.0.").append(j + 1).append('.').append(a);
                }
                Path confirmed = work.resolve("confirmed-" + j + ".tsv");
                Path log = work.resolve("client-" + j + ".log");
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                        FleetLoad.class.getName(), "--servers", servers, "--clients", Integer.toString(share),
                        "--items", Integer.toString(items), "--concurrency", Integer.toString(concurrencyPerJvm),
                        "--bytes", Integer.toString(imageBytes), "--seed", Long.toString(seed + j),
                        "--prefix", "j" + j, "--bind", binds.toString(), "--confirmed", confirmed.toString());
                processes.add(new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start());
                confirmedFiles.add(confirmed);
                logs.add(log);
            }
            long deadlineNs = System.nanoTime() + timeout.toNanos();
            List<ClientJvm> results = new ArrayList<>();
            for (int j = 0; j < jvms; j++) {
                Process p = processes.get(j);
                long leftMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000);
                if (!p.waitFor(leftMs, TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("client JVM " + j + " did not finish within " + timeout + "\n"
                            + Files.readString(logs.get(j), StandardCharsets.UTF_8));
                }
                String log = Files.readString(logs.get(j), StandardCharsets.UTF_8);
                results.add(new ClientJvm(p.exitValue(), summary(log), confirmedFiles.get(j), log));
            }
            return results;
        } finally {
            for (Process p : processes) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static Map<String, String> summary(String log) {
        Map<String, String> words = new TreeMap<>();
        for (String line : log.lines().toList()) {
            if (line.startsWith("fleet-load ")) {
                for (String word : line.split(" ")) {
                    int eq = word.indexOf('=');
                    if (eq > 0) {
                        words.put(word.substring(0, eq), word.substring(eq + 1));
                    }
                }
            }
        }
        return words;
    }

    /** Lines of a confirmed-items file. */
    static long lines(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    /** Stops the receivers (SIGTERM, then kill after a grace). */
    @Override
    public void close() throws InterruptedException {
        for (CliProcess server : servers) {
            server.terminate();
        }
        for (CliProcess server : servers) {
            if (!server.process().waitFor(20, TimeUnit.SECONDS)) {
                server.close();
            }
        }
    }
}
