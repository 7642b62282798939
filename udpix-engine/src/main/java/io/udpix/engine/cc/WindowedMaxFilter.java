package io.udpix.engine.cc;

/**
 * Running maximum over a sliding window of "time" (here: round trips), kept in three samples as in Kathleen
 * Nichols' algorithm (Linux lib/win_minmax.c, used by BBR for its bottleneck bandwidth estimate,
 * draft-cardwell-iccrg-bbr-congestion-control-00 section 4.1.1). Constant memory, no allocation.
 */
public final class WindowedMaxFilter {
    private final long windowLength;
    // Best, second best and third best samples in the window, with their times (s[0] is the maximum).
    private final long[] times = new long[3];
    private final long[] values = new long[3];

    /** A filter over {@code windowLength} units of time; empty (maximum 0) until the first update. */
    public WindowedMaxFilter(long windowLength) {
        if (windowLength <= 0) {
            throw new IllegalArgumentException("window length must be positive, got " + windowLength);
        }
        this.windowLength = windowLength;
    }

    /** Forgets every sample and starts again from {@code value} at {@code time}. */
    public long reset(long time, long value) {
        for (int i = 0; i < 3; i++) {
            times[i] = time;
            values[i] = value;
        }
        return value;
    }

    /** Adds one sample taken at {@code time} (never decreasing) and returns the windowed maximum. */
    public long update(long time, long value) {
        if (value >= values[0] || time - times[2] > windowLength) {
            // A new maximum, or nothing left in the window: start over.
            return reset(time, value);
        }
        if (value >= values[1]) {
            times[2] = time;
            values[2] = value;
            times[1] = time;
            values[1] = value;
        } else if (value >= values[2]) {
            times[2] = time;
            values[2] = value;
        }
        return subWindowUpdate(time, value);
    }

    /** The current windowed maximum (0 when empty). */
    public long max() {
        return values[0];
    }

    private long subWindowUpdate(long time, long value) {
        long dt = time - times[0];
        if (dt > windowLength) {
            // The best sample aged out: promote the others; repeat once if the second one is old too.
            shift(time, value);
            if (time - times[0] > windowLength) {
                shift(time, value);
            }
        } else if (times[1] == times[0] && dt > windowLength / 4) {
            // A quarter of the window passed with no second choice: take this sample as second and third.
            times[2] = time;
            values[2] = value;
            times[1] = time;
            values[1] = value;
        } else if (times[2] == times[1] && dt > windowLength / 2) {
            // Half the window passed with no third choice.
            times[2] = time;
            values[2] = value;
        }
        return values[0];
    }

    private void shift(long time, long value) {
        times[0] = times[1];
        values[0] = values[1];
        times[1] = times[2];
        values[1] = values[2];
        times[2] = time;
        values[2] = value;
    }
}
