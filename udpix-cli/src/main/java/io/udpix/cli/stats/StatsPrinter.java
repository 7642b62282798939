package io.udpix.cli.stats;

import io.udpix.api.SocketStats;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints figures every interval on a thread of its own ({@code udpix-stats}), never on an I/O thread: the
 * snapshots it reads are lock-free for counters and a short queued call for stream figures.
 */
public final class StatsPrinter implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final Supplier<List<SocketStats>> source;
    private final StatsLines lines;
    private final PrintStream out;
    /** Previous snapshot per port, for rates; one entry per socket. */
    private final Map<Integer, SocketStats> previous = new HashMap<>();

    private StatsPrinter(Duration interval, Supplier<List<SocketStats>> source, boolean json, PrintStream out,
            Clock clock) {
        this.source = source;
        this.lines = new StatsLines(json, clock);
        this.out = out;
        if (interval == null) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "udpix-stats");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(this::printNow, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Starts printing {@code source}'s figures every {@code interval}; a null interval prints nothing. */
    public static StatsPrinter start(Duration interval, Supplier<List<SocketStats>> source, boolean json,
            PrintStream out) {
        return new StatsPrinter(interval, source, json, out, Clock.systemUTC());
    }

    private void printNow() {
        try {
            for (SocketStats now : source.get()) {
                String line = lines.line(now, previous.get(now.port()));
                previous.put(now.port(), now);
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            }
        } catch (RuntimeException e) {
            // A failed read must not end the periodic task (a scheduled task that throws is never run again).
            synchronized (out) {
                out.println("udpix: stats unavailable: " + e);
            }
        }
    }

    /** Stops printing, after one last line (so a run shorter than the interval still shows its figures). */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            if (timer.awaitTermination(1, TimeUnit.SECONDS)) {
                printNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
