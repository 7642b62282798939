package io.udpix.cli.report;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Plain lines, plus a progress bar for each item still moving after {@link #DEFAULT_THRESHOLD}: short items
 * would only flicker. For terminals only (see {@link Reporters#onTerminal()}).
 */
public final class ProgressBarReporter implements ItemReporter {

    /** Items that take longer than this get a bar. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(1);
    private static final int UPDATE_INTERVAL_MS = 200;

    private final ItemReporter lines;
    private final LongSupplier nanoClock;
    private final long thresholdNs;
    private final Supplier<ProgressBarConsumer> consumers;

    /**
     * Bars drawn by the library's own console output (stderr; several bars at once when the terminal can move
     * the cursor), lines by {@code lines}.
     */
    public ProgressBarReporter(ItemReporter lines) {
        this(lines, System::nanoTime, DEFAULT_THRESHOLD, null);
    }

    /**
     * Full control, for tests: {@code nanoClock} decides when the threshold has passed; {@code consumers} (null
     * for the library's console output) makes the output of each bar.
     */
    public ProgressBarReporter(ItemReporter lines, LongSupplier nanoClock, Duration threshold,
                               Supplier<ProgressBarConsumer> consumers) {
        this.lines = Objects.requireNonNull(lines, "lines");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.thresholdNs = threshold.toNanos();
        this.consumers = consumers;
    }

    @Override
    public ItemProgress start(String kind, String name, long totalBytes) {
        return new Bar(kind + " " + Units.printableName(name), totalBytes, nanoClock.getAsLong());
    }

    @Override
    public void finished(ItemReport report) {
        lines.finished(report);
    }

    @Override
    public void status(String message) {
        lines.status(message);
    }

    /** One item's bar, created lazily once the item has run past the threshold. */
    private final class Bar implements ItemProgress {
        private final String taskName;
        private final long totalBytes;
        private final long startNs;
        private ProgressBar bar;
        private boolean closed;

        Bar(String taskName, long totalBytes, long startNs) {
            this.taskName = taskName;
            this.totalBytes = totalBytes;
            this.startNs = startNs;
        }

        @Override
        public synchronized void update(long doneBytes) {
            if (closed) {
                return;
            }
            if (bar == null) {
                long elapsedNs = nanoClock.getAsLong() - startNs;
                if (elapsedNs < thresholdNs) {
                    return;
                }
                bar = create(Duration.ofNanos(elapsedNs));
            }
            bar.stepTo(doneBytes);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (bar != null) {
                bar.close();
            }
        }

        private ProgressBar create(Duration alreadyElapsed) {
            ProgressBarBuilder builder = new ProgressBarBuilder()
                    .setTaskName(taskName)
                    // -1: size unknown, the bar shows activity only.
                    .setInitialMax(totalBytes > 0 ? totalBytes : -1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" MiB", 1L << 20)
                    .showSpeed()
                    .setUpdateIntervalMillis(UPDATE_INTERVAL_MS)
                    // The bar started late: count the time the item already ran, so speed and ETA are right.
                    .startsFrom(0, alreadyElapsed)
                    // The item's plain line replaces the bar when it ends.
                    .clearDisplayOnFinish();
            if (consumers != null) {
                builder.setConsumer(consumers.get());
            }
            return builder.build();
        }
    }
}
