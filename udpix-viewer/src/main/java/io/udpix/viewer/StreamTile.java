package io.udpix.viewer;

import java.awt.image.BufferedImage;

/**
 * One live stream's tile: its latest frame (never a queue of frames), caption, whether it ended, and what the
 * display did with its frames. Touched only on the event dispatch thread.
 */
final class StreamTile {

    final String key;
    private BufferedImage image;
    private StreamCaption caption;
    private boolean ended;
    private long lastUpdateSequence;
    private long endedSequence;
    private long lastFrameNs;
    private long framesApplied;
    private long framesSkipped;
    private long framesPainted;
    /** Whether the current image has been painted once (if not when the next arrives, it was skipped). */
    private boolean currentPainted = true;
    private final ScaledCopy scaled = new ScaledCopy();

    StreamTile(String key) {
        this.key = key;
    }

    /** Applies one hand-over update (see {@link StreamUpdates.Update}) made at {@code sequence}. */
    void apply(StreamUpdates.Update update, long sequence, long nowNs) {
        framesSkipped += update.framesSkipped();
        // Every frame counts as new, even the same image object again (a caller that redraws one image).
        if (update.image() != null) {
            if (!currentPainted) {
                framesSkipped++;
            }
            image = update.image();
            scaled.invalidate();
            currentPainted = false;
            framesApplied++;
            lastFrameNs = nowNs;
        }
        caption = update.caption();
        lastUpdateSequence = sequence;
        if (update.ended()) {
            if (!ended) {
                endedSequence = sequence;
                // The last frame stays on screen: scale it again with the better filter (see ScaledCopy).
                scaled.invalidate();
            }
            ended = true;
        } else {
            // A frame after an end: the key was reused by a new stream, which is live again.
            ended = false;
        }
    }

    /** Called by the painter when it drew the current image. */
    void markPainted() {
        if (!currentPainted) {
            currentPainted = true;
            framesPainted++;
        }
    }

    BufferedImage image() {
        return image;
    }

    StreamCaption caption() {
        return caption;
    }

    boolean ended() {
        return ended;
    }

    long lastUpdateSequence() {
        return lastUpdateSequence;
    }

    long endedSequence() {
        return endedSequence;
    }

    /** When the latest frame was applied ({@code 0} and {@code hasFrame() == false} before any). */
    long lastFrameNs() {
        return lastFrameNs;
    }

    boolean hasFrame() {
        return image != null;
    }

    /** Frames applied to this tile (each became the latest). */
    long framesApplied() {
        return framesApplied;
    }

    /** Frames that never reached the screen because a newer one replaced them first. */
    long framesSkipped() {
        return framesSkipped;
    }

    /** Distinct frames painted. */
    long framesPainted() {
        return framesPainted;
    }

    ScaledCopy scaled() {
        return scaled;
    }
}
