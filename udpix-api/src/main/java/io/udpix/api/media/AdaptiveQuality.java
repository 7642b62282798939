package io.udpix.api.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive bitrate for frames the sender encodes itself: picks the JPEG quality and resolution of the next frame so
 * that frames fit the rate the connection can carry (the congestion controller's pacing rate, divided by the frame
 * rate, with headroom for repair and FEC). A ladder of settings, largest first: the quality from the user's maximum
 * down to 30 in steps of 10 at full size, then 3/4 and 1/2 size at quality 40 and 30 (a smaller picture at a
 * middling quality looks better than a full one at quality 20; starting the smaller sizes at 40 keeps every rung
 * smaller than the one above it: 9/16 of the pixels at q40 is well under q30's bytes at full size).
 *
 * <p>Down quickly, up slowly: one frame more than 10% over the target (or a recent average over it) steps down at
 * once, as many rungs as the overshoot needs (up to 4); stepping up needs {@code upDelaySeconds} of consecutive
 * frames under the target with room for the next rung (its size as last measured, else estimated), one rung at a
 * time. When a step up is followed by a step down within that delay, the delay doubles (up to 8x) and the measured
 * size of the rung that failed is trusted that much longer, so a target between two rungs does not make the picture
 * pump; a step up that holds for twice the delay halves it again. When even the smallest setting is too large,
 * {@link #overBudget()} says so: the engine then drops frames at the source (latest wins).
 *
 * <p>Pure: no clock or I/O, only the sizes and rates it is given; not thread-safe (one per stream).
 */
public final class AdaptiveQuality {
    /** Share of the available rate that frames may use: the rest is for retransmissions, FEC and items. */
    public static final double DEFAULT_HEADROOM = 0.75;
    /** Seconds of frames under the target before a step up. */
    public static final double DEFAULT_UP_DELAY_SECONDS = 2.0;
    /** Lowest quality on the ladder. */
    public static final int MIN_QUALITY = 30;

    /** Assumed size ratio of one rung to the one above it when the smaller rung has not been measured. */
    private static final double RUNG_RATIO = 0.82;
    private static final int MAX_STEPS_DOWN = 4;
    private static final int MAX_BACKOFF = 8;
    private static final double UP_MARGIN = 1.1;
    /** Frames at a rung before its average (an EWMA of weight 1/4) counts. */
    private static final int AVERAGE_FRAMES = 4;
    /** A single frame may exceed the target by this factor (into the headroom) before it forces a step down. */
    private static final double SPIKE_TOLERANCE = 1.1;
    /**
     * A measured rung size is trusted for this many frames times the backoff (content changes; then it is
     * estimated again).
     */
    private static final long MEASUREMENT_FRAMES = 600;

    /**
     * One rung: JPEG quality and a scale factor {@code numerator/denominator} for both sides.
     *
     * @param quality JPEG quality 1..100
     * @param scaleNumerator scale numerator (1, 3)
     * @param scaleDenominator scale denominator (1, 4, 2)
     */
    public record Setting(int quality, int scaleNumerator, int scaleDenominator) {
        /** The scale as a number (1.0, 0.75, 0.5). */
        public double scale() {
            return (double) scaleNumerator / scaleDenominator;
        }

        /** {@code side} pixels scaled, rounded down to an even number (4:2:0 chroma), at least 2. */
        public int scaled(int side) {
            int s = (int) ((long) side * scaleNumerator / scaleDenominator);
            return Math.max(2, s & ~1);
        }

        /** True at full size. */
        public boolean fullSize() {
            return scaleNumerator == scaleDenominator;
        }

        @Override
        public String toString() {
            return "q" + quality + (fullSize() ? "" : " @" + scaleNumerator + "/" + scaleDenominator);
        }
    }

    private final List<Setting> ladder;
    private final double headroom;
    private final double upDelaySeconds;
    private final long[] measuredBytes;
    private final long[] measuredAtFrame;
    private int rung;
    private long frame;
    private long framesUnder;
    private long lastUpFrame = Long.MIN_VALUE / 2;
    private long lastDownFrame = Long.MIN_VALUE / 2;
    private int backoff = 1;
    private long targetBytes = -1;
    private boolean overBudget;
    private long averageBytes = -1;
    private int framesAtRung;

    /** A ladder from {@code maxQuality} (the user's --quality) down, default headroom and delay. */
    public AdaptiveQuality(int maxQuality) {
        this(ladder(maxQuality, true), DEFAULT_HEADROOM, DEFAULT_UP_DELAY_SECONDS);
    }

    /** A ladder of {@code settings} (largest first), {@code headroom} (0..1] of the rate, up delay in seconds. */
    public AdaptiveQuality(List<Setting> settings, double headroom, double upDelaySeconds) {
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("the ladder needs at least one setting");
        }
        if (!(headroom > 0 && headroom <= 1) || !(upDelaySeconds >= 0)) {
            throw new IllegalArgumentException("headroom must be in (0, 1] and the up delay >= 0");
        }
        this.ladder = List.copyOf(settings);
        this.headroom = headroom;
        this.upDelaySeconds = upDelaySeconds;
        this.measuredBytes = new long[ladder.size()];
        this.measuredAtFrame = new long[ladder.size()];
        java.util.Arrays.fill(measuredAtFrame, Long.MIN_VALUE / 2);
    }

    /**
     * The default ladder from {@code maxQuality}: it, then each multiple of 10 below it down to 30, at full size;
     * with {@code downscale}, then 3/4 and 1/2 size at min(maxQuality, 40) and 30.
     */
    public static List<Setting> ladder(int maxQuality, boolean downscale) {
        if (maxQuality < 1 || maxQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, not " + maxQuality);
        }
        List<Setting> rungs = new ArrayList<>();
        rungs.add(new Setting(maxQuality, 1, 1));
        for (int q = (maxQuality - 1) / 10 * 10; q >= MIN_QUALITY; q -= 10) {
            rungs.add(new Setting(q, 1, 1));
        }
        if (downscale) {
            int[][] scales = {{3, 4}, {1, 2}};
            for (int[] s : scales) {
                int top = Math.min(maxQuality, 40);
                rungs.add(new Setting(top, s[0], s[1]));
                for (int q = (top - 1) / 10 * 10; q >= MIN_QUALITY; q -= 10) {
                    rungs.add(new Setting(q, s[0], s[1]));
                }
            }
        }
        return rungs;
    }

    /** The setting for the next frame. */
    public Setting current() {
        return ladder.get(rung);
    }

    /** Index of the current setting on the ladder (0 = the largest). */
    public int rung() {
        return rung;
    }

    /** The ladder, largest first. */
    public List<Setting> settings() {
        return ladder;
    }

    /** Bytes per frame aimed at after the last {@link #onFrame}, or -1 before a rate was known. */
    public long targetBytes() {
        return targetBytes;
    }

    /** True when the last frame was over the target at the smallest setting (frames will drop at the source). */
    public boolean overBudget() {
        return overBudget;
    }

    /**
     * Takes the size of the frame just encoded at {@link #current()}, the available rate and the frame rate, and
     * returns the setting for the next frame. A rate or frame rate of 0 or less (not known yet) changes nothing.
     */
    public Setting onFrame(int encodedBytes, long availableRateBytesPerSecond, double framesPerSecond) {
        frame++;
        if (availableRateBytesPerSecond <= 0 || !(framesPerSecond > 0) || encodedBytes <= 0) {
            return current();
        }
        targetBytes = Math.max(1, (long) (availableRateBytesPerSecond / framesPerSecond * headroom));
        averageBytes = averageBytes < 0 ? encodedBytes : (averageBytes * 3 + encodedBytes) / 4;
        measuredBytes[rung] = averageBytes;
        measuredAtFrame[rung] = frame;

        // Down at once on a clear overshoot of one frame, or when the recent average is over: noise of a few
        // percent on single frames is what the headroom is for, and must not make the picture pump.
        framesAtRung++;
        if (encodedBytes > targetBytes * SPIKE_TOLERANCE
                || (averageBytes > targetBytes && framesAtRung >= AVERAGE_FRAMES)) {
            framesUnder = 0;
            overBudget = rung == ladder.size() - 1;
            if (!overBudget) {
                // As many rungs as the overshoot needs at ~RUNG_RATIO per rung, at least one, at most four.
                double overshoot = (double) Math.max(averageBytes, encodedBytes / SPIKE_TOLERANCE) / targetBytes;
                int steps = (int) Math.ceil(Math.log(overshoot) / -Math.log(RUNG_RATIO));
                steps = Math.max(1, Math.min(MAX_STEPS_DOWN, steps));
                if (frame - lastUpFrame <= upDelayFrames(framesPerSecond) * backoff) {
                    backoff = Math.min(MAX_BACKOFF, backoff * 2); // the last step up did not hold
                }
                moveTo(Math.min(ladder.size() - 1, rung + steps));
                lastDownFrame = frame;
            }
            return current();
        }
        overBudget = false;
        framesUnder++;
        long delay = upDelayFrames(framesPerSecond) * backoff;
        if (framesUnder >= delay) {
            if (rung > 0 && nextUpBytes() * UP_MARGIN <= targetBytes) {
                moveTo(rung - 1);
                lastUpFrame = frame;
            }
        }
        if (backoff > 1 && lastUpFrame > lastDownFrame && frame - lastUpFrame >= 2 * delay) {
            backoff /= 2; // the last step up has held for twice the delay: trust steps up again
            lastUpFrame = frame;
        }
        return current();
    }

    /** The size the rung above would give: as measured recently, else this one's divided by RUNG_RATIO. */
    private long nextUpBytes() {
        int up = rung - 1;
        if (frame - measuredAtFrame[up] <= MEASUREMENT_FRAMES * backoff) {
            return measuredBytes[up];
        }
        return (long) (averageBytes / RUNG_RATIO);
    }

    private long upDelayFrames(double framesPerSecond) {
        return Math.max(1, Math.round(upDelaySeconds * framesPerSecond));
    }

    private void moveTo(int newRung) {
        if (newRung != rung) {
            rung = newRung;
            framesUnder = 0;
            averageBytes = -1;
            framesAtRung = 0;
        }
    }
}
