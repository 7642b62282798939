package io.udpix.cli.stream;

import io.udpix.api.media.JpegCodec;
import io.udpix.api.media.SourceFrame;
import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.report.JsonObjectLine;
import io.udpix.cli.report.ReportFormat;
import io.udpix.cli.report.Units;
import io.udpix.plain.PlainFrameSender;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * {@code udpix stream --plain}: the tutorial's camera loop. Each frame goes as one datagram (plain mode's
 * one-datagram form, docs/PLAIN_MODE.md) at the frame rate, without waiting for replies (those that come are
 * counted). A frame this command encodes is brought under 65,507 bytes by a lower JPEG quality
 * ({@link PlainFrameEncoder}); a JPEG sent as it is that is larger is skipped and counted (plain mode cannot split
 * a frame). Prints a status every second and a summary, as {@code udpix stream} does.
 */
final class PlainStreamRun {
    /** After the last frame, how long replies still in flight are waited for (to count them; nothing else). */
    private static final long REPLY_WAIT_NS = 300_000_000L;
    private static final long REPLY_POLL_MS = 10;

    private final InetSocketAddress target;
    private final StreamSource source;
    private final StreamSettings settings;
    private final ReportFormat format;
    private final boolean quiet;
    private final boolean terminal;
    private final PrintStream out;
    private final PrintStream err;
    private final PlainFrameEncoder encoder;
    private JpegCodec decoder;
    private long framesTaken;
    private long tooLarge;
    private long startNs;
    private long lastTickNs;
    private long lastTickFrames;
    private long lastTickBytes;
    private int liveLineLength;
    private int width;
    private int height;
    private boolean warnedTooLarge;

    PlainStreamRun(InetSocketAddress target, StreamSource source, StreamSettings settings, ReportFormat format,
            boolean quiet, boolean terminal, PrintStream out, PrintStream err) {
        this.target = target;
        this.source = source;
        this.settings = settings;
        this.format = format;
        this.quiet = quiet;
        this.terminal = terminal;
        this.out = out;
        this.err = err;
        this.encoder = new PlainFrameEncoder(settings.quality() == null ? JpegCodec.DEFAULT_QUALITY
                : settings.quality(), PlainFrameSender.MAX_DATAGRAM_BYTES, settings.size());
    }

    /** Streams until the limit, the end of the input or an interrupt; returns the exit code. */
    int run() {
        String end;
        try (PlainFrameSender sender = PlainFrameSender.open(target); PlainFrameEncoder enc = encoder) {
            startNs = System.nanoTime();
            lastTickNs = startNs;
            started();
            FramePacer pacer = new FramePacer(settings.fps(), startNs);
            try {
                while (true) {
                    long nowNs = System.nanoTime();
                    end = settings.limitReached(framesTaken, nowNs - startNs);
                    if (end != null) {
                        break;
                    }
                    SourceFrame frame = source.next();
                    if (frame == null) {
                        end = "end of input";
                        break;
                    }
                    framesTaken++;
                    byte[] datagram = datagramOf(frame);
                    if (datagram != null) {
                        sender.send(datagram);
                    }
                    tick(sender, System.nanoTime());
                    pacer.awaitNext();
                }
                awaitReplies(sender);
            } catch (InterruptedException | java.nio.channels.ClosedByInterruptException e) {
                // Ctrl-C: while pacing (the usual case) or in the middle of a send, which closes the socket.
                end = "stopped";
                Thread.currentThread().interrupt();
            }
            summary(sender, System.nanoTime(), end);
        } catch (IOException e) {
            throw CliException.transferFailed("plain stream to " + text(target) + " failed: " + e.getMessage(), e);
        } finally {
            if (decoder != null) {
                decoder.close();
            }
        }
        return ExitCodes.OK;
    }

    /** The frame as one datagram's payload, or null when it cannot fit one (counted, said once). */
    private byte[] datagramOf(SourceFrame frame) throws IOException {
        if (frame.isEncoded() && !settings.reencodeJpeg()) {
            byte[] jpeg = frame.jpeg();
            if (jpeg.length > PlainFrameSender.MAX_DATAGRAM_BYTES) {
                skipped("a JPEG of " + jpeg.length + " bytes from the source does not fit one datagram ("
                        + PlainFrameSender.MAX_DATAGRAM_BYTES + " bytes at most) and plain mode cannot split it: "
                        + "skipped. Give --quality or --size to re-encode such frames, or leave out --plain (native "
                        + "streams carry frames of any size)");
                return null;
            }
            width = frame.width();
            height = frame.height();
            return jpeg;
        }
        java.awt.image.BufferedImage image;
        if (frame.isEncoded()) {
            if (decoder == null) {
                decoder = JpegCodec.create();
            }
            image = decoder.decode(frame.jpeg());
        } else {
            image = frame.image();
        }
        byte[] jpeg = encoder.encode(image);
        if (jpeg == null) {
            skipped("a frame does not fit one datagram even at JPEG quality " + PlainFrameEncoder.MIN_QUALITY
                    + ": skipped. Give a smaller --size, or leave out --plain (native streams carry frames of any "
                    + "size)");
            return null;
        }
        width = settings.size() != null ? settings.size()[0] : image.getWidth();
        height = settings.size() != null ? settings.size()[1] : image.getHeight();
        return jpeg;
    }

    private void skipped(String why) {
        tooLarge++;
        if (!warnedTooLarge) {
            warnedTooLarge = true;
            synchronized (err) {
                err.println("udpix stream: " + why + " (said once; the summary counts them as tooLarge)");
                err.flush();
            }
        }
    }

    /** Replies to the last frames are counted if they come within a moment; the loop itself never waited. */
    private void awaitReplies(PlainFrameSender sender) throws IOException, InterruptedException {
        long untilNs = System.nanoTime() + REPLY_WAIT_NS;
        while (sender.replies() + sender.unreachable() < sender.framesSent() && System.nanoTime() - untilNs < 0) {
            Thread.sleep(REPLY_POLL_MS);
            sender.pollReplies();
        }
    }

    private void started() {
        if (quiet) {
            return;
        }
        String jpeg = source.producesImages() || settings.reencodeJpeg() ? encoder.description() : null;
        if (format == ReportFormat.JSON) {
            JsonObjectLine.event("stream-started").put("to", text(target)).put("mode", "plain")
                    .put("source", source.description()).put("jpeg", jpeg).put("fps", settings.fps())
                    .put("maxFrameBytes", PlainFrameSender.MAX_DATAGRAM_BYTES).printTo(out);
        } else {
            line("streaming " + source.description() + " to " + text(target) + " in plain mode (one datagram per "
                    + "frame, at most " + String.format(Locale.ROOT, "%,d", PlainFrameSender.MAX_DATAGRAM_BYTES)
                    + " bytes; " + fmt(settings.fps()) + " fps" + (jpeg == null ? "" : ", JPEG by " + jpeg)
                    + "; no repair, no congestion control, no ordering: see docs/PLAIN_MODE.md); stop with Ctrl-C");
        }
    }

    private void tick(PlainFrameSender sender, long nowNs) {
        if (nowNs - lastTickNs < StreamStatusReport.INTERVAL_NS) {
            return;
        }
        double seconds = (nowNs - lastTickNs) / 1e9;
        double fps = (sender.framesSent() - lastTickFrames) / seconds;
        double rate = (sender.bytesSent() - lastTickBytes) / seconds;
        lastTickNs = nowNs;
        lastTickFrames = sender.framesSent();
        lastTickBytes = sender.bytesSent();
        if (quiet) {
            return;
        }
        if (format == ReportFormat.JSON) {
            fields(JsonObjectLine.event("stream"), sender, nowNs).put("fps", fps)
                    .put("bytesPerSecond", Math.round(rate)).printTo(out);
        } else if (terminal) {
            String text = String.format(Locale.ROOT, "%s fps, %s, too large %d, socket full %d, replies %d (%d "
                    + "errors), quality %d, %dx%d", fmt(fps), Units.rate(rate), tooLarge, sender.socketFull(),
                    sender.replies(), sender.errorReplies(), encoder.quality(), width, height);
            synchronized (out) {
                out.print("\r" + text + " ".repeat(Math.max(0, liveLineLength - text.length())));
                out.flush();
            }
            liveLineLength = text.length();
        }
    }

    private void summary(PlainFrameSender sender, long nowNs, String end) {
        if (quiet) {
            return;
        }
        double seconds = Math.max(1e-9, (nowNs - startNs) / 1e9);
        if (format == ReportFormat.JSON) {
            fields(JsonObjectLine.event("stream-summary"), sender, nowNs)
                    .put("fps", sender.framesSent() / seconds)
                    .put("bytesPerSecond", Math.round(sender.bytesSent() / seconds)).put("end", end).printTo(out);
            return;
        }
        if (terminal && liveLineLength > 0) {
            synchronized (out) {
                out.println();
            }
        }
        line(String.format(Locale.ROOT, "streamed %d of %d frames to %s in plain mode in %s (%s): %s fps, %s; too "
                        + "large for one datagram (skipped) %d, socket full %d; %d replies, %d errors%s",
                sender.framesSent(), framesTaken, text(target), Units.duration(java.time.Duration.ofNanos(nowNs
                        - startNs)), end, fmt(sender.framesSent() / seconds), Units.rate(sender.bytesSent() / seconds),
                tooLarge, sender.socketFull(), sender.replies(), sender.errorReplies(),
                sender.lastError() == null ? "" : " (last: " + sender.lastError() + ")"));
    }

    private JsonObjectLine fields(JsonObjectLine line, PlainFrameSender sender, long nowNs) {
        return line.put("to", text(target)).put("mode", "plain").put("elapsedMs", (nowNs - startNs) / 1_000_000)
                .put("framesSent", framesTaken).put("datagramsSent", sender.framesSent())
                .put("bytes", sender.bytesSent()).put("droppedAtSource", tooLarge + sender.socketFull())
                .put("tooLarge", tooLarge).put("socketFull", sender.socketFull())
                .put("qualityLowered", encoder.lowered()).put("replies", sender.replies())
                .put("errorReplies", sender.errorReplies()).put("unreachable", sender.unreachable())
                .put("lastError", sender.lastError()).put("quality", encoder.quality()).put("width", width)
                .put("height", height);
    }

    private void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    private static String text(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
