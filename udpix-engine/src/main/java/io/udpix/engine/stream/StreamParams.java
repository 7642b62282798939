package io.udpix.engine.stream;

/**
 * What a stream's sender asks for when it opens a stream (STREAM_OPEN, docs/PROTOCOL.md section 4.13).
 *
 * @param codec           what the frames are
 * @param latencyBudgetNs the sender's requested budget from capture to display; the receiver clamps it to its
 *                        bounds (the effective budget is in {@code StreamOpened} and the stats)
 * @param fpsHintCenti    frame rate hint in hundredths of a frame per second (3000 = 30 fps), 0 unknown
 * @param width           frame width in pixels, 0 unknown
 * @param height          frame height in pixels, 0 unknown
 * @param name            a label (at most 255 UTF-8 bytes), e.g. "camera-1"; may be empty
 * @param fec             sender-local: how much parity to add
 */
public record StreamParams(StreamCodec codec, long latencyBudgetNs, int fpsHintCenti, int width, int height,
        String name, FecMode fec) {
    /** The default latency budget: 150 ms. */
    public static final long DEFAULT_LATENCY_BUDGET_NS = 150_000_000L;
    /** Smallest budget a stream may have (1 ms). */
    public static final long MIN_LATENCY_BUDGET_NS = 1_000_000L;
    /** Largest budget a stream may have (10 s): STREAM_OPEN carries milliseconds in a u16, capped here. */
    public static final long MAX_LATENCY_BUDGET_NS = 10_000_000_000L;

    /** Validates ranges; errors say which value and the accepted range. */
    public StreamParams {
        java.util.Objects.requireNonNull(codec, "codec");
        java.util.Objects.requireNonNull(fec, "fec");
        name = name == null ? "" : name;
        if (latencyBudgetNs < MIN_LATENCY_BUDGET_NS || latencyBudgetNs > MAX_LATENCY_BUDGET_NS) {
            throw new IllegalArgumentException("latency budget must be 1 ms to 10 s, got " + latencyBudgetNs / 1_000_000
                    + " ms");
        }
        if (fpsHintCenti < 0 || fpsHintCenti > 0xFFFF || width < 0 || width > 0xFFFF || height < 0
                || height > 0xFFFF) {
            throw new IllegalArgumentException("fps hint, width and height must fit 0-65535");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("a stream name is at most 255 UTF-8 bytes");
        }
    }

    /** JPEG frames, 150 ms, no hints, automatic FEC. */
    public static StreamParams jpeg(String name) {
        return new StreamParams(StreamCodec.JPEG, DEFAULT_LATENCY_BUDGET_NS, 0, 0, 0, name, FecMode.AUTO);
    }

    /** A copy with another latency budget. */
    public StreamParams withLatencyBudgetNs(long ns) {
        return new StreamParams(codec, ns, fpsHintCenti, width, height, name, fec);
    }

    /** A copy with another FEC mode. */
    public StreamParams withFec(FecMode mode) {
        return new StreamParams(codec, latencyBudgetNs, fpsHintCenti, width, height, name, mode);
    }

    /** A copy with size and rate hints. */
    public StreamParams withHints(int fpsHintCenti, int width, int height) {
        return new StreamParams(codec, latencyBudgetNs, fpsHintCenti, width, height, name, fec);
    }
}
