package io.udpix.api.media;

import java.io.IOException;

/**
 * {@code --source pattern}: a {@link TestPattern} of the given size, frame numbers counting from 0, each drawn with
 * its capture time. Pixel frames (the caller encodes them); the image is the pattern's own, redrawn in place.
 */
public final class PatternSource implements FrameSource {
    private final TestPattern pattern;
    private long frameNumber;
    private boolean closed;

    /** A pattern source of {@code width} x {@code height} pixels. */
    public PatternSource(int width, int height) {
        pattern = new TestPattern(width, height);
    }

    @Override
    public SourceFrame next() throws IOException {
        if (closed) {
            throw new IOException("the pattern source is closed");
        }
        long captureNs = System.nanoTime();
        long captureEpochMs = System.currentTimeMillis();
        // The drawn number wraps like the wire's u32 frame numbers do.
        pattern.draw(frameNumber & 0xFFFF_FFFFL, captureEpochMs);
        frameNumber++;
        return SourceFrame.ofImage(pattern.image(), captureNs, captureEpochMs);
    }

    /** The pattern being drawn (its areas tell a reader where the digits are). */
    public TestPattern pattern() {
        return pattern;
    }

    @Override
    public String description() {
        return "pattern " + pattern.width() + "x" + pattern.height();
    }

    @Override
    public void close() {
        closed = true;
    }
}
