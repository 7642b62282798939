package io.udpix.cli.stream;

import io.udpix.api.media.DirectorySource;
import io.udpix.api.media.FrameSource;
import io.udpix.api.media.MjpegSource;
import io.udpix.api.media.PatternSource;
import io.udpix.api.media.ScreenSource;
import io.udpix.api.media.SourceFrame;
import io.udpix.api.media.TestPattern;
import io.udpix.cli.CliException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --source}: opens the media source it names, with usage errors that say what to give instead. */
final class StreamSource implements AutoCloseable {
    /** The pattern's size when --size is not given: 720p, a common camera size. */
    static final int[] DEFAULT_PATTERN_SIZE = {1280, 720};

    private final FrameSource source;
    private final boolean images;

    private StreamSource(FrameSource source, boolean images) {
        this.source = source;
        this.images = images;
    }

    /** Whether the frames are pixels this command encodes (else JPEGs sent as they are). */
    boolean producesImages() {
        return images;
    }

    /**
     * Opens what {@code settings.source()} names; {@code in} is standard input for {@code -}.
     *
     * @throws CliException (bad usage) when the source does not exist or cannot run here, naming the fix
     */
    static StreamSource open(StreamSettings settings, InputStream in) {
        String spec = settings.source();
        switch (spec) {
            case "pattern": {
                int[] size = settings.size() != null ? settings.size() : DEFAULT_PATTERN_SIZE;
                if (size[0] < TestPattern.MIN_WIDTH || size[1] < TestPattern.MIN_HEIGHT
                        || size[0] > TestPattern.MAX_SIDE || size[1] > TestPattern.MAX_SIDE) {
                    throw CliException.badUsage("--size " + size[0] + "x" + size[1] + " is out of range for the "
                            + "pattern; use " + TestPattern.MIN_WIDTH + "x" + TestPattern.MIN_HEIGHT + " to "
                            + TestPattern.MAX_SIDE + "x" + TestPattern.MAX_SIDE + ", e.g. 1280x720");
                }
                return new StreamSource(new PatternSource(size[0], size[1]), true);
            }
            case "screen":
                if (GraphicsEnvironment.isHeadless()) {
                    throw CliException.badUsage("--source screen needs a screen, and there is none (DISPLAY unset "
                            + "or -Djava.awt.headless=true); use --source pattern, a directory or -");
                }
                try {
                    return new StreamSource(new ScreenSource(), true);
                } catch (IOException | RuntimeException e) {
                    throw CliException.badUsage("--source screen: " + e.getMessage());
                }
            case "-":
                return new StreamSource(new MjpegSource(in, "standard input", MjpegSource.DEFAULT_MAX_FRAME_BYTES),
                        settings.reencodeJpeg());
            default: {
                Path dir = Path.of(spec);
                if (!Files.isDirectory(dir)) {
                    throw CliException.badUsage("--source " + spec + ": no such directory; give pattern, screen, - "
                            + "(MJPEG on standard input) or a directory of images");
                }
                try {
                    return new StreamSource(new DirectorySource(dir, settings.reencodeJpeg(),
                            MjpegSource.DEFAULT_MAX_FRAME_BYTES), true);
                } catch (IOException | RuntimeException e) {
                    throw CliException.badUsage("--source " + spec + ": " + e.getMessage());
                }
            }
        }
    }

    /** The next frame, or null at the end of the input. */
    SourceFrame next() throws IOException {
        return source.next();
    }

    /** What the source is, for the status line. */
    String description() {
        return source.description();
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException e) {
            // Nothing left to release that matters for the exit code.
        }
    }
}
