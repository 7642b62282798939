package io.udpix.kafka;

import java.util.Locale;

/**
 * Which frames of incoming streams become records ({@code --kafka-frames}): {@code all}, {@code every-N} (frame
 * numbers divisible by N: the 1st, (N+1)th... of each stream) or {@code none}. Default every 30th: one a second
 * of a 30 fps camera, so a fleet's streams do not flood the log.
 *
 * @param every publish frames whose number is a multiple of this; 0 = none
 */
public record FramePolicy(int every) {
    /** The default: every 30th frame. */
    public static final FramePolicy DEFAULT = new FramePolicy(30);
    /** No frame becomes a record. */
    public static final FramePolicy NONE = new FramePolicy(0);
    /** Every frame becomes a record. */
    public static final FramePolicy ALL = new FramePolicy(1);

    /** Checks the rate. */
    public FramePolicy {
        if (every < 0) {
            throw new IllegalArgumentException("every must be >= 0, was " + every);
        }
    }

    /**
     * Parses {@code all}, {@code none} or {@code every-N} (N >= 1).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static FramePolicy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return ALL;
        }
        if (t.equals("none")) {
            return NONE;
        }
        if (t.startsWith("every-")) {
            try {
                int n = Integer.parseInt(t.substring("every-".length()));
                if (n >= 1) {
                    return new FramePolicy(n);
                }
            } catch (NumberFormatException e) {
                // the message below says what is accepted
            }
        }
        throw new IllegalArgumentException("--kafka-frames takes all, none or every-N (N >= 1, e.g. every-30), was '"
                + text + "'");
    }

    /** Whether frame {@code frameNumber} of a stream becomes a record. */
    public boolean publishes(long frameNumber) {
        return every > 0 && frameNumber % every == 0;
    }

    @Override
    public String toString() {
        return every == 0 ? "none" : every == 1 ? "all" : "every-" + every;
    }
}
