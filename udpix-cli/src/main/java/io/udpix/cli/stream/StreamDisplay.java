package io.udpix.cli.stream;

import io.udpix.api.media.JpegCodec;
import io.udpix.api.stream.Frame;
import io.udpix.api.stream.LatestWinsExecutor;
import io.udpix.api.stream.StreamEnd;
import io.udpix.cli.AddressText;
import io.udpix.cli.serve.LiveDisplay;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamStats;
import io.udpix.viewer.StreamCaption;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --display} for streams: decodes each stream's newest frame with {@link JpegCodec} on its own thread
 * (latest wins per stream: a frame arriving while the last is still being decoded replaces the one waiting) and
 * hands it to the viewer with its caption (fps, latency, late/lost/FEC counts). Never on a driver thread.
 */
public final class StreamDisplay implements AutoCloseable {
    /** Streams with a frame waiting to be decoded at once. */
    static final int MAX_WAITING_STREAMS = 64;
    /** Streams whose figures are kept at once (removed when a stream ends). */
    private static final int MAX_STREAMS = 1_024;

    private final LiveDisplay display;
    private final JpegCodec codec;
    private final LatestWinsExecutor decoder = new LatestWinsExecutor("udpix-display-decode", MAX_WAITING_STREAMS);
    private final ConcurrentHashMap<String, StreamStats> figures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, FpsMeter> rates = new ConcurrentHashMap<>();

    /** Shows streams in {@code display}. */
    public StreamDisplay(LiveDisplay display) {
        this.display = display;
        this.codec = JpegCodec.create();
    }

    /** Queues {@code frame} for showing (never waits); skipped when the window is closed. */
    public void offer(Frame frame) {
        if (!display.showing()) {
            return;
        }
        String key = frame.streamKey();
        FpsMeter meter = rates.get(key);
        if (meter == null && rates.size() < MAX_STREAMS) {
            meter = rates.computeIfAbsent(key, k -> new FpsMeter());
        }
        if (meter != null) {
            meter.arrived(System.nanoTime());
        }
        decoder.submit(key, () -> show(frame));
    }

    /** The stream's latest figures from the server (late, lost, latency p99), for the caption. */
    public void figures(String key, StreamStats stats) {
        if (figures.containsKey(key) || figures.size() < MAX_STREAMS) {
            figures.put(key, stats);
        }
    }

    /** The stream ended: its tile says so, after its last frame. */
    public void end(String key, StreamEnd end) {
        decoder.submitEssential(key, () -> {
            StreamStats s = end.stats();
            FpsMeter meter = rates.get(key);
            display.endStream(key, new StreamCaption(AddressText.of(end.peer()), end.streamName(),
                    meter == null ? 0 : meter.lastShown(), Double.NaN, Double.NaN, s.latencyP99Ns() / 1e6, s.late(),
                    s.lost(), s.fecRecovered(), s.codec().name(), 0));
            figures.remove(key);
            rates.remove(key);
        });
    }

    private void show(Frame frame) {
        if (frame.codec() != StreamCodec.JPEG || !display.showing()) {
            return; // Only JPEG frames are decoded for display; the others are still counted and kept.
        }
        BufferedImage image;
        try {
            image = codec.decode(frame.bytes());
        } catch (IOException | RuntimeException e) {
            return; // A frame that does not decode is not shown; the stream's figures still count it.
        }
        String key = frame.streamKey();
        StreamStats s = figures.get(key);
        FpsMeter meter = rates.get(key);
        if (meter != null) {
            meter.shown(frame.frameNumber());
        }
        display.showStreamFrame(key, image, new StreamCaption(AddressText.of(frame.peer()), frame.streamName(),
                frame.frameNumber(), meter == null ? Double.NaN : meter.fps(), frame.latencyNs() / 1e6,
                s == null || s.latencyP99Ns() == 0 ? Double.NaN : s.latencyP99Ns() / 1e6, s == null ? 0 : s.late(),
                s == null ? 0 : s.lost(), s == null ? 0 : s.fecRecovered(), frame.codec().name(),
                frame.bytes().length));
    }

    /** Stops the decoding thread and frees the codec. */
    @Override
    public void close() {
        decoder.close(2_000);
        codec.close();
    }

    /**
     * Frames per second over the last second or so (an exponentially weighted mean of arrival gaps), and the
     * number of the last frame shown.
     */
    static final class FpsMeter {
        private long lastNs;
        private long lastShown;
        private double meanGapNs = Double.NaN;

        synchronized void arrived(long nowNs) {
            if (lastNs != 0) {
                double gap = nowNs - lastNs;
                meanGapNs = Double.isNaN(meanGapNs) ? gap : meanGapNs * 0.9 + gap * 0.1;
            }
            lastNs = nowNs;
        }

        synchronized void shown(long frameNumber) {
            lastShown = frameNumber;
        }

        synchronized long lastShown() {
            return lastShown;
        }

        synchronized double fps() {
            return Double.isNaN(meanGapNs) || meanGapNs <= 0 ? Double.NaN : 1e9 / meanGapNs;
        }
    }
}
