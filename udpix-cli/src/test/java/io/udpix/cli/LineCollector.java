package io.udpix.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An output stream that keeps what is written as lines, so a test can wait for a line (no polling). */
public final class LineCollector extends OutputStream {

    /** Enough for every test here; more means a runaway writer, and the test should fail rather than grow. */
    private static final int MAX_LINES = 100_000;

    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();

    /** A UTF-8 print stream writing here, flushing at every line. */
    public PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            if (lines.size() >= MAX_LINES) {
                throw new IllegalStateException("more than " + MAX_LINES + " lines written");
            }
            lines.add(current.toString(StandardCharsets.UTF_8));
            current.reset();
            notifyAll();
        } else {
            current.write(b);
        }
    }

    /** The complete lines so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Everything written, with the unfinished last line. */
    public synchronized String text() {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.append(current.toString(StandardCharsets.UTF_8)).toString();
    }

    /** Waits up to {@code timeout} for a line matching {@code match}; null when none came. */
    public synchronized String await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (match.test(lines.get(checked))) {
                    return lines.get(checked);
                }
            }
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                return null;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs)));
        }
    }

    /** Waits until at least {@code count} lines match; false when the timeout passed first. */
    public synchronized boolean awaitCount(Predicate<String> match, int count, Duration timeout)
            throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (lines.stream().filter(match).count() < count) {
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                return false;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs)));
        }
        return true;
    }
}
