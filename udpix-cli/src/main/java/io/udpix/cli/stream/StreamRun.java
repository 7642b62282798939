package io.udpix.cli.stream;

import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.api.media.JpegCodec;
import io.udpix.api.media.SourceFrame;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.api.stream.StreamStatus;
import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.engine.stream.StreamStats;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of {@code udpix stream}: opens the stream, takes frames from the source at the frame rate, hands them
 * to the stream (which never waits for the network), reports, and at the end lets the last frames go before it
 * closes the stream.
 */
final class StreamRun {
    /** After the last frame, how long beyond the latency budget the run waits for frames still in flight. */
    private static final long DRAIN_EXTRA_NS = 500_000_000L;
    private static final long DRAIN_POLL_MS = 20;
    /** How long the run waits for the server to confirm the stream's end. */
    private static final long END_WAIT_MS = 2_000;

    private final UdpixClient client;
    private final StreamOptions options;
    private final StreamSource source;
    private final StreamSettings settings;
    private final StreamStatusReport report;
    private JpegCodec decoder;

    StreamRun(UdpixClient client, StreamOptions options, StreamSource source, StreamSettings settings,
            StreamStatusReport report) {
        this.client = client;
        this.options = options;
        this.source = source;
        this.settings = settings;
        this.report = report;
    }

    /** Streams until the limit, the end of the input or an interrupt; returns the exit code. */
    int run() throws InterruptedException {
        FrameStream stream;
        try {
            stream = client.openStream(options);
        } catch (UdpixException e) {
            throw new CliException(StreamCommand.exitCodeOf(e), e.getMessage(), e);
        }
        long startNs = System.nanoTime();
        report.started(stream, source.description(), source.producesImages() ? stream.encoder() : null, startNs);
        FramePacer pacer = new FramePacer(settings.fps(), startNs);
        long sent = 0;
        long lastSentNs = startNs;
        String end = "done";
        UdpixException failure = null;
        try {
            while (true) {
                long nowNs = System.nanoTime();
                String limit = settings.limitReached(sent, nowNs - startNs);
                if (limit != null) {
                    end = limit;
                    break;
                }
                SourceFrame frame = source.next();
                if (frame == null) {
                    end = "end of input";
                    break;
                }
                send(stream, frame);
                sent++;
                lastSentNs = System.nanoTime();
                report.tick(stream, sent, System.nanoTime());
                pacer.awaitNext();
            }
        } catch (UdpixException e) {
            failure = e;
            end = "failed";
        } catch (IOException e) {
            stream.close();
            throw CliException.transferFailed("the source failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            end = "stopped";
            Thread.currentThread().interrupt();
        } finally {
            if (decoder != null) {
                decoder.close();
            }
        }
        boolean interrupted = Thread.interrupted();
        if (failure == null && !interrupted) {
            drain(stream);
        }
        StreamStats last = freshStats(stream);
        stream.close();
        if (failure == null && !interrupted) {
            awaitEnd(stream);
        }
        report.summary(stream, last, sent, lastSentNs, System.nanoTime(), end);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new CliException(StreamCommand.exitCodeOf(failure), failure.getMessage(), failure);
        }
        return ExitCodes.OK;
    }

    /**
     * Hands the frame to the stream. A frame larger than the server takes (its --max-frame-size) is refused by the
     * stream, which stays open: it is skipped, counted ({@code framesTooLarge}) and said once, and the run goes on.
     */
    private void send(FrameStream stream, SourceFrame frame) throws IOException {
        try {
            sendFrame(stream, frame);
        } catch (UdpixException e) {
            if (e.kind() != UdpixException.Kind.TOO_LARGE || stream.failure().isPresent()) {
                throw e;
            }
            report.tooLarge(e.getMessage());
        }
    }

    private void sendFrame(FrameStream stream, SourceFrame frame) throws IOException {
        if (!frame.isEncoded()) {
            stream.send(frame.image(), frame.captureNs());
        } else if (settings.reencodeJpeg()) {
            if (decoder == null) {
                decoder = JpegCodec.create();
            }
            stream.send(decoder.decode(frame.jpeg()), frame.captureNs());
        } else {
            stream.send(frame.jpeg(), frame.captureNs());
        }
    }

    /** Waits until the engine has no frame waiting or in flight, at most the budget plus half a second. */
    private void drain(FrameStream stream) throws InterruptedException {
        long untilNs = System.nanoTime() + options.latency().toNanos() + DRAIN_EXTRA_NS;
        while (System.nanoTime() - untilNs < 0) {
            Thread.sleep(DRAIN_POLL_MS);
            StreamStats s = freshStats(stream);
            if (s.queuedFrames() == 0 && s.frames() > 0) {
                return;
            }
        }
    }

    /** The engine's figures now (asks the I/O thread), else the stream's last ones. */
    private StreamStats freshStats(FrameStream stream) {
        StreamStats cached = stream.stats();
        for (StreamStatus s : client.streamStats()) {
            if (s.stats().streamId() == stream.id() && !s.stats().incoming()) {
                return s.stats(); // Includes frames the stream replaced before they reached the engine.
            }
        }
        return cached;
    }

    private static void awaitEnd(FrameStream stream) throws InterruptedException {
        try {
            stream.ended().get(END_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The connection's close tells the server anyway.
        }
    }
}
