package io.udpix.api.media;

import java.io.IOException;

/**
 * Where a stream's frames come from ({@code udpix stream --source}): {@link PatternSource} (pattern),
 * {@link DirectorySource} (DIR), {@link ScreenSource} (screen), {@link MjpegSource} (- : MJPEG on standard input).
 * A source captures when asked and does not pace itself: the caller calls {@link #next()} at its frame rate (an
 * MJPEG pipe paces itself by blocking). Not thread-safe: one thread calls {@code next()}.
 */
public interface FrameSource extends AutoCloseable {

    /**
     * The next frame, captured now (blocking while a pipe has none yet); null when the source has ended for good
     * (end of the MJPEG input). A pixel frame's image may be reused by the source: it is valid until the next call.
     *
     * @throws IOException when the source fails in a way that will not heal (the message names the cause and fix)
     */
    SourceFrame next() throws IOException;

    /** What this source is, for a status line ("pattern 1280x720", "directory /x (12 images)"...). */
    String description();

    /** Releases what the source holds (files, the pipe); {@code next()} fails afterwards. */
    @Override
    void close() throws IOException;
}
