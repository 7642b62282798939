package io.udpix.cli.stream;

import io.udpix.api.stream.Frame;
import io.udpix.api.stream.StreamEnd;
import io.udpix.api.stream.StreamStatus;
import io.udpix.cli.AddressText;
import io.udpix.cli.report.JsonObjectLine;
import io.udpix.cli.report.ReportFormat;
import io.udpix.engine.stream.StreamStats;
import io.udpix.wire.ErrorCode;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What {@code udpix serve} does with incoming frame streams: keeps frames ({@code --frames-out}), shows them
 * ({@code --display}), and reports each stream: with {@code --format json} one object per stream per second
 * ({@code "event":"stream"}) and one at its end ({@code "event":"stream-ended"}); in plain format a line when a
 * stream is first seen and a summary line at its end.
 */
public final class ServeStreams implements AutoCloseable {
    /** How often the per-stream figures are printed. */
    static final long TICK_MS = 1_000;
    /** Streams remembered as seen or ended (for the first-seen and after-end rules); oldest forgotten first. */
    private static final int MAX_REMEMBERED = 4_096;

    private final ReportFormat format;
    private final boolean quiet;
    private final PrintStream out;
    private final FramesOut framesOut;
    private final StreamDisplay display;
    private final Object printLock = new Object();
    private final Set<String> seen = new LinkedHashSet<>();
    private final Set<String> ended = new LinkedHashSet<>();
    private Thread ticker;
    private volatile boolean closed;

    /**
     * @param framesOut where frames are kept, or null
     * @param display   where frames are shown, or null
     */
    public ServeStreams(ReportFormat format, boolean quiet, PrintStream out, FramesOut framesOut,
            StreamDisplay display) {
        this.format = format;
        this.quiet = quiet;
        this.out = out;
        this.framesOut = framesOut;
        this.display = display;
    }

    /** The server's frame listener (frame thread): hand the frame on, never wait. */
    public void onFrame(Frame frame) {
        if (framesOut != null) {
            framesOut.offer(frame);
        }
        if (display != null) {
            display.offer(frame);
        }
    }

    /** The server's stream-end listener (frame thread, after the stream's last frame). */
    public void onEnded(StreamEnd end) {
        String key = end.streamKey();
        if (display != null) {
            display.end(key, end);
        }
        synchronized (printLock) {
            remember(ended, key);
            seen.remove(key);
            if (!quiet) {
                if (format == ReportFormat.JSON) {
                    JsonObjectLine line = fields(JsonObjectLine.event("stream-ended"), key, end.peer(),
                            end.localPort(), end.streamName(), end.stats(), end.framesDroppedSlowListener());
                    line.put("code", ErrorCode.name(end.errorCode()));
                    line.put("reason", end.reason().isEmpty() ? null : end.reason());
                    line.printTo(out);
                } else {
                    printPlain(summary(key, end));
                }
            }
        }
        if (framesOut != null) {
            framesOut.forget(key);
        }
    }

    /** Starts printing per-stream figures every second from {@code stats} (a daemon thread). */
    public void start(Supplier<List<StreamStatus>> stats) {
        ticker = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(TICK_MS);
                } catch (InterruptedException e) {
                    return;
                }
                tick(stats.get());
            }
        }, "udpix-stream-reports");
        ticker.setDaemon(true);
        ticker.start();
    }

    private void tick(List<StreamStatus> all) {
        for (StreamStatus s : all) {
            String key = s.streamKey();
            if (display != null) {
                display.figures(key, s.stats());
            }
            synchronized (printLock) {
                if (ended.contains(key) || quiet) {
                    continue;
                }
                boolean first = !seen.contains(key);
                remember(seen, key);
                if (format == ReportFormat.JSON) {
                    fields(JsonObjectLine.event("stream"), key, s.peer(), s.localPort(), s.streamName(), s.stats(),
                            s.framesDroppedSlowListener()).printTo(out);
                } else if (first) {
                    printPlain("stream " + key + name(s.streamName()) + " on port " + s.localPort() + ": "
                            + s.stats().codec().name() + ", latency budget " + s.stats().latencyBudgetNs() / 1_000_000
                            + " ms");
                }
            }
        }
    }

    private JsonObjectLine fields(JsonObjectLine line, String key, java.net.InetSocketAddress peer, int port,
            String name, StreamStats s, long droppedSlowListener) {
        line.put("peer", AddressText.of(peer)).put("port", port).put("stream", s.streamId())
                .put("name", name).put("codec", s.codec().name()).put("latencyBudgetMs", s.latencyBudgetNs() / 1e6)
                .put("frames", s.frames()).put("onTime", s.onTime()).put("late", s.late()).put("lost", s.lost())
                .put("latencyP50Ms", s.latencyP50Ns() / 1e6).put("latencyP99Ms", s.latencyP99Ns() / 1e6)
                .put("latencyMaxMs", s.latencyMaxNs() / 1e6).put("fecRecovered", s.fecRecovered())
                .put("retransmitted", s.retransmittedFragments()).put("bytes", s.dataBytes())
                .put("parityBytes", s.parityBytes()).put("droppedSlowListener", droppedSlowListener);
        if (framesOut != null) {
            line.put("framesSaved", framesOut.written(key)).put("framesNotSaved", framesOut.dropped(key));
        }
        return line;
    }

    private String summary(String key, StreamEnd end) {
        StreamStats s = end.stats();
        StringBuilder b = new StringBuilder(200);
        b.append("stream ").append(key).append(name(end.streamName())).append(" ended");
        if (end.errorCode() != ErrorCode.OK) {
            b.append(" (").append(end.reason().isEmpty() ? ErrorCode.describe(end.errorCode()) : end.reason())
                    .append(')');
        }
        b.append(String.format(Locale.ROOT, ": %d frames, %d on time (%.1f%%), %d late, %d lost; latency p50 %.1f ms,"
                        + " p99 %.1f ms; FEC recovered %d, retransmitted %d fragments", s.frames(), s.onTime(),
                s.frames() == 0 ? 0.0 : 100.0 * s.onTime() / s.frames(), s.late(), s.lost(), s.latencyP50Ns() / 1e6,
                s.latencyP99Ns() / 1e6, s.fecRecovered(), s.retransmittedFragments()));
        if (end.framesDroppedSlowListener() > 0) {
            b.append("; ").append(end.framesDroppedSlowListener()).append(" skipped while busy");
        }
        if (framesOut != null) {
            b.append("; saved ").append(framesOut.written(key));
            long notSaved = framesOut.dropped(key);
            if (notSaved > 0) {
                b.append(", not saved ").append(notSaved).append(" (disk behind)");
            }
        }
        return b.toString();
    }

    private static String name(String name) {
        return name.isEmpty() ? "" : " '" + name + "'";
    }

    private void printPlain(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static void remember(Set<String> set, String key) {
        if (set.add(key) && set.size() > MAX_REMEMBERED) {
            set.remove(set.iterator().next());
        }
    }

    /** Stops the reports, writes the frames still queued and closes the display's frame thread. */
    @Override
    public void close() {
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (framesOut != null) {
            framesOut.close();
        }
        if (display != null) {
            display.close();
        }
    }
}
