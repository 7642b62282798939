package io.udpix.api.stream;

import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * What a frame stream is opened with ({@code UdpixClient.openStream}): codec, latency budget, frame rate, size,
 * JPEG quality, FEC and a name. Immutable; made by {@link #builder()}.
 *
 * <pre>{@code
 * StreamOptions options = StreamOptions.builder().name("camera-1").fps(30).latency(Duration.ofMillis(150))
 *         .size(1280, 720).build();
 * }</pre>
 */
public final class StreamOptions {
    /** Default frame rate: 30 frames per second. */
    public static final double DEFAULT_FPS = 30;
    /** Default JPEG quality ceiling: high enough to look clean, about a third of quality 100's bytes. */
    public static final int DEFAULT_QUALITY = 85;
    /** Most frames per second a stream may announce (STREAM_OPEN carries hundredths in a u16). */
    public static final double MAX_FPS = 655;

    private final StreamCodec codec;
    private final Duration latency;
    private final double fps;
    private final int width;
    private final int height;
    private final int quality;
    private final boolean adaptive;
    private final FecMode fec;
    private final String name;

    private StreamOptions(Builder b) {
        this.codec = b.codec;
        this.latency = b.latency;
        this.fps = b.fps;
        this.width = b.width;
        this.height = b.height;
        this.quality = b.quality;
        this.adaptive = b.adaptive;
        this.fec = b.fec;
        this.name = b.name;
    }

    /** A builder with the defaults: JPEG, 150 ms, 30 fps, source size, quality up to 85 (adaptive), FEC auto. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static StreamOptions defaults() {
        return builder().build();
    }

    /** What the frames are. */
    public StreamCodec codec() {
        return codec;
    }

    /** The latency budget asked for (the receiver may clamp it). */
    public Duration latency() {
        return latency;
    }

    /** Frames per second the sender means to send (a hint to the receiver and the adaptive quality's target). */
    public double fps() {
        return fps;
    }

    /** Width images are scaled to before encoding, or 0 to keep each image's own. */
    public int width() {
        return width;
    }

    /** Height images are scaled to before encoding, or 0 to keep each image's own. */
    public int height() {
        return height;
    }

    /** The JPEG quality (1-100) images are encoded at: the ceiling when {@link #adaptive()}, else fixed. */
    public int quality() {
        return quality;
    }

    /** Whether quality (then resolution) is lowered when the connection's rate does not carry the frames. */
    public boolean adaptive() {
        return adaptive;
    }

    /** How much parity the sender adds. */
    public FecMode fec() {
        return fec;
    }

    /** The stream's label (may be empty). */
    public String name() {
        return name;
    }

    /** The engine's parameters for these options. */
    public StreamParams toParams() {
        return new StreamParams(codec, latency.toNanos(), (int) Math.round(fps * 100), width, height, name, fec);
    }

    @Override
    public String toString() {
        return "StreamOptions[" + codec + ", " + latency.toMillis() + " ms, " + fps + " fps, "
                + (width == 0 ? "source size" : width + "x" + height) + ", quality " + quality
                + (adaptive ? " (adaptive)" : "") + ", fec " + fec + (name.isEmpty() ? "" : ", '" + name + "'") + "]";
    }

    /** Builds {@link StreamOptions}; every setter checks its value and says the accepted range. */
    public static final class Builder {
        private StreamCodec codec = StreamCodec.JPEG;
        private Duration latency = Duration.ofNanos(StreamParams.DEFAULT_LATENCY_BUDGET_NS);
        private double fps = DEFAULT_FPS;
        private int width;
        private int height;
        private int quality = DEFAULT_QUALITY;
        private boolean adaptive = true;
        private FecMode fec = FecMode.AUTO;
        private String name = "";

        private Builder() {
        }

        /** What the frames are (default JPEG); {@code FrameStream.send(BufferedImage)} needs JPEG. */
        public Builder codec(StreamCodec value) {
            this.codec = Objects.requireNonNull(value, "codec");
            return this;
        }

        /** The latency budget from capture to display, 1 ms to 10 s (default 150 ms). */
        public Builder latency(Duration value) {
            Objects.requireNonNull(value, "latency");
            long ns = value.toNanos();
            if (ns < StreamParams.MIN_LATENCY_BUDGET_NS || ns > StreamParams.MAX_LATENCY_BUDGET_NS) {
                throw new IllegalArgumentException("latency must be 1 ms to 10 s, was " + value.toMillis() + " ms");
            }
            this.latency = value;
            return this;
        }

        /** Frames per second, more than 0 and at most 655 (default 30). */
        public Builder fps(double value) {
            if (!(value > 0 && value <= MAX_FPS)) {
                throw new IllegalArgumentException("fps must be more than 0 and at most " + (int) MAX_FPS
                        + ", was " + value);
            }
            this.fps = value;
            return this;
        }

        /** Scale images to {@code width} x {@code height} before encoding (1-65535 each; default: as given). */
        public Builder size(int width, int height) {
            if (width < 1 || width > 0xFFFF || height < 1 || height > 0xFFFF) {
                throw new IllegalArgumentException("size must be 1-65535 pixels each way, was " + width + "x"
                        + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        /** JPEG quality 1-100 (default 85): the most the adaptive quality uses, or the fixed one. */
        public Builder quality(int value) {
            if (value < 1 || value > 100) {
                throw new IllegalArgumentException("quality must be 1 (smallest) to 100 (best), was " + value);
            }
            this.quality = value;
            return this;
        }

        /**
         * Whether to lower quality, then resolution, when the connection's available rate does not carry
         * {@code fps} frames (and raise them again when it does). Default on.
         */
        public Builder adaptive(boolean value) {
            this.adaptive = value;
            return this;
        }

        /** Parity to add: {@code FecMode.AUTO} (default), {@code FecMode.OFF} or {@code FecMode.percent(n)}. */
        public Builder fec(FecMode value) {
            this.fec = Objects.requireNonNull(value, "fec");
            return this;
        }

        /** A label for the stream, at most 255 UTF-8 bytes (default empty). */
        public Builder name(String value) {
            Objects.requireNonNull(value, "name");
            if (value.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("a stream name is at most 255 UTF-8 bytes");
            }
            this.name = value;
            return this;
        }

        /** The options. */
        public StreamOptions build() {
            return new StreamOptions(this);
        }
    }
}
