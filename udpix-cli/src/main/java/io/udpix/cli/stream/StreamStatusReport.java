package io.udpix.cli.stream;

import io.udpix.api.stream.FrameStream;
import io.udpix.cli.report.JsonObjectLine;
import io.udpix.cli.report.ReportFormat;
import io.udpix.cli.report.Units;
import io.udpix.engine.stream.StreamStats;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code udpix stream} prints: a status line rewritten every second on a terminal (fps sent, rate, dropped at
 * the source, FEC overhead), or with {@code --format json} one {@code "event":"stream"} object per second; and a
 * summary at the end ({@code "event":"stream-summary"}).
 */
final class StreamStatusReport {
    /** How often the status is printed. */
    static final long INTERVAL_NS = 1_000_000_000L;

    private final ReportFormat format;
    private final boolean quiet;
    private final PrintStream out;
    private final PrintStream err;
    private boolean warnedTooLarge;
    private final boolean terminal;
    private final String to;
    private long startNs;
    private long lastNs;
    private long lastFramesSent;
    private long lastWireBytes;
    private int liveLineLength;

    StreamStatusReport(ReportFormat format, boolean quiet, PrintStream out, PrintStream err, boolean terminal,
            String to) {
        this.format = format;
        this.quiet = quiet;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.to = to;
    }

    /** The stream is open. */
    void started(FrameStream stream, String source, String codec, long nowNs) {
        startNs = nowNs;
        lastNs = nowNs;
        if (quiet) {
            return;
        }
        if (format == ReportFormat.JSON) {
            JsonObjectLine.event("stream-started").put("to", to).put("stream", stream.id())
                    .put("name", stream.options().name()).put("source", source).put("jpeg", codec)
                    .put("fps", stream.options().fps()).put("latencyMs", stream.options().latency().toMillis())
                    .put("latencyBudgetMs", stream.stats().latencyBudgetNs() / 1_000_000)
                    .put("maxFrameBytes", stream.maxFrameBytes())
                    .put("fec", stream.options().fec().toString()).printTo(out);
        } else {
            long budgetMs = stream.stats().latencyBudgetNs() / 1_000_000;
            long askedMs = stream.options().latency().toMillis();
            line("streaming " + source + " to " + to + " as stream " + stream.id() + " ("
                    + fmt(stream.options().fps()) + " fps, latency budget " + budgetMs + " ms"
                    + (budgetMs == askedMs ? "" : " (asked " + askedMs + " ms; the server's bounds)") + ", FEC " + stream.options().fec() + (codec == null ? "" : ", JPEG by " + codec)
                    + "); stop with Ctrl-C");
        }
    }

    /** A frame was larger than the server takes and was skipped: said once on stderr (the count is the stream's). */
    void tooLarge(String why) {
        if (!warnedTooLarge) {
            warnedTooLarge = true;
            synchronized (err) {
                err.println("udpix stream: " + why + "; such frames are skipped (said once; counted as "
                        + "framesTooLarge)");
                err.flush();
            }
        }
    }

    /** After each frame: prints the status when a second has passed. */
    void tick(FrameStream stream, long framesSent, long nowNs) {
        if (nowNs - lastNs < INTERVAL_NS) {
            return;
        }
        StreamStats s = stream.stats();
        double seconds = (nowNs - lastNs) / 1e9;
        double fps = (framesSent - lastFramesSent) / seconds;
        long wire = wireBytes(s);
        double rate = (wire - lastWireBytes) / seconds;
        lastNs = nowNs;
        lastFramesSent = framesSent;
        lastWireBytes = wire;
        if (quiet) {
            return;
        }
        if (format == ReportFormat.JSON) {
            fields(JsonObjectLine.event("stream"), stream, s, framesSent, nowNs).put("fps", fps)
                    .put("bytesPerSecond", Math.round(rate)).printTo(out);
        } else if (terminal) {
            String text = String.format(Locale.ROOT, "%s fps, %s, dropped at source %d, abandoned %d, FEC+repair "
                            + "%.1f%%, quality %d, %dx%d", fmt(fps), Units.rate(rate), s.droppedAtSource(),
                    s.abandoned(), s.overheadPercent(), stream.quality(), stream.encodedSize()[0],
                    stream.encodedSize()[1]);
            synchronized (out) {
                out.print("\r" + text + " ".repeat(Math.max(0, liveLineLength - text.length())));
                out.flush();
            }
            liveLineLength = text.length();
        }
    }

    /**
     * The stream ended; {@code stats} are its last figures, {@code lastSentNs} when the last frame was taken (rates
     * are over the sending time, not the wait for the last repairs), {@code end} says why it ended.
     */
    void summary(FrameStream stream, StreamStats s, long framesSent, long lastSentNs, long nowNs, String end) {
        if (quiet) {
            return;
        }
        double seconds = framesSent <= 1 ? Math.max(1e-9, (nowNs - startNs) / 1e9)
                : (lastSentNs - startNs) / 1e9 * framesSent / (framesSent - 1);
        if (format == ReportFormat.JSON) {
            fields(JsonObjectLine.event("stream-summary"), stream, s, framesSent, nowNs)
                    .put("fps", framesSent / seconds).put("bytesPerSecond", Math.round(wireBytes(s) / seconds))
                    .put("end", end).printTo(out);
            return;
        }
        if (terminal && liveLineLength > 0) {
            synchronized (out) {
                out.println();
            }
        }
        line(String.format(Locale.ROOT, "streamed %d frames to %s in %s (%s): %s fps, %s; dropped at source %d, "
                        + "abandoned %d, FEC+repair overhead %.1f%% (FEC %d%%, %d fragments resent)%s", framesSent, to,
                Units.duration(java.time.Duration.ofNanos(nowNs - startNs)), end, fmt(framesSent / seconds),
                Units.rate(wireBytes(s) / seconds), s.droppedAtSource(), s.abandoned(), s.overheadPercent(),
                s.fecPercent(), s.retransmittedFragments(), stream.framesTooLarge() == 0 ? "" : "; "
                        + stream.framesTooLarge() + " frames larger than the server takes (" + stream.maxFrameBytes()
                        + " bytes) skipped"));
    }

    private JsonObjectLine fields(JsonObjectLine line, FrameStream stream, StreamStats s, long framesSent,
            long nowNs) {
        return line.put("to", to).put("stream", stream.id()).put("name", stream.options().name())
                .put("elapsedMs", (nowNs - startNs) / 1_000_000).put("framesSent", framesSent)
                .put("latencyBudgetMs", s.latencyBudgetNs() / 1_000_000).put("framesTooLarge", stream.framesTooLarge())
                .put("framesStarted", s.frames()).put("droppedAtSource", s.droppedAtSource())
                .put("abandoned", s.abandoned()).put("dataBytes", s.dataBytes()).put("parityBytes", s.parityBytes())
                .put("retransmittedBytes", s.retransmittedBytes()).put("retransmitted", s.retransmittedFragments())
                .put("fecPercent", s.fecPercent()).put("overheadPercent", s.overheadPercent())
                .put("availableBytesPerSecond", s.availableRateBytesPerSecond()).put("quality", stream.quality())
                .put("width", stream.encodedSize()[0]).put("height", stream.encodedSize()[1]);
    }

    private static long wireBytes(StreamStats s) {
        return s.dataBytes() + s.parityBytes() + s.retransmittedBytes();
    }

    private void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
