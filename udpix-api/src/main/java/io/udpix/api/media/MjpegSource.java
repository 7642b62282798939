package io.udpix.api.media;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code --source -}: an MJPEG byte stream (concatenated JPEGs, e.g. {@code ffmpeg -f v4l2 -i /dev/video0 -f mjpeg -})
 * split at JPEG markers by {@link MjpegSplitter}; every frame is passed on as the JPEG bytes it was (never
 * re-encoded). Frames larger than the limit (default 16 MiB, the protocol's default frame limit), garbage between
 * frames, frames cut short and malformed ones are skipped and counted ({@link #stats()}). The pipe paces the source:
 * {@link #next()} blocks until a whole frame has arrived, and returns null at the end of the input.
 */
public final class MjpegSource implements FrameSource {
    /** The default largest frame kept: 16 MiB, STREAM_LIMITS' default max frame bytes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    private static final int READ_BYTES = 64 * 1024;

    /**
     * What the splitter has seen so far.
     *
     * @param frames complete frames returned
     * @param garbageBytes bytes outside any frame, skipped
     * @param oversizedFrames frames longer than the limit, skipped
     * @param truncatedFrames frames cut short (by a new SOI, or by the end of the input), skipped
     * @param malformedFrames frames with bytes a JPEG cannot hold there, skipped
     */
    public record Stats(long frames, long garbageBytes, long oversizedFrames, long truncatedFrames,
            long malformedFrames) {
        /** Frames skipped for any reason. */
        public long skippedFrames() {
            return oversizedFrames + truncatedFrames + malformedFrames;
        }
    }

    private final InputStream in;
    private final String name;
    private final int maxFrameBytes;
    private final MjpegSplitter splitter;
    private final byte[] readBuffer = new byte[READ_BYTES];
    private int readOffset;
    private int readEnd;
    private boolean ended;
    private boolean closed;

    /** Frames from {@code in} ("standard input" names it in messages), each at most {@code maxFrameBytes}. */
    public MjpegSource(InputStream in, String name, int maxFrameBytes) {
        this.in = in;
        this.name = name;
        this.maxFrameBytes = maxFrameBytes;
        this.splitter = new MjpegSplitter(maxFrameBytes);
    }

    /** Frames from standard input, at most {@link #DEFAULT_MAX_FRAME_BYTES} each. */
    public static MjpegSource standardInput() {
        return new MjpegSource(System.in, "standard input", DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * The next JPEG, or null at the end of the input (a partial frame there is counted as truncated).
     *
     * @throws IOException when reading fails, or when the first {@code 4 x maxFrameBytes} bytes hold no JPEG at all
     *         (the input is not MJPEG: the message says how to produce it)
     */
    @Override
    public SourceFrame next() throws IOException {
        if (closed) {
            throw new IOException("the MJPEG source (" + name + ") is closed");
        }
        while (!ended) {
            if (readOffset == readEnd) {
                int n = in.read(readBuffer, 0, readBuffer.length);
                if (n < 0) {
                    ended = true;
                    splitter.finish();
                    return null;
                }
                readOffset = 0;
                readEnd = n;
            }
            readOffset += splitter.feed(readBuffer, readOffset, readEnd - readOffset);
            byte[] frame = splitter.takeFrame();
            if (frame != null) {
                return SourceFrame.ofJpeg(frame, System.nanoTime(), System.currentTimeMillis());
            }
            if (splitter.frames() == 0 && splitter.oversizedFrames() == 0
                    && splitter.garbageBytes() > 4L * maxFrameBytes) {
                throw new IOException(name + " does not look like an MJPEG stream: " + splitter.garbageBytes()
                        + " bytes without a JPEG start (FF D8); feed it concatenated JPEGs, e.g. "
                        + "ffmpeg -i INPUT -f mjpeg -");
            }
        }
        return null;
    }

    /** What has been split and skipped so far. */
    public Stats stats() {
        return new Stats(splitter.frames(), splitter.garbageBytes(), splitter.oversizedFrames(),
                splitter.truncatedFrames(), splitter.malformedFrames());
    }

    @Override
    public String description() {
        return "MJPEG from " + name;
    }

    /** Closes the input stream. */
    @Override
    public void close() throws IOException {
        closed = true;
        in.close();
    }
}
