package io.udpix.cli.report;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Clock;

/** Picks the reporter for {@code --quiet} and {@code --format}. */
public final class Reporters {

    private Reporters() {
    }

    /**
     * {@code --quiet}: nothing; {@code json}: JSON lines (never bars: programs read them); {@code plain}: lines,
     * with progress bars when {@code terminal}.
     */
    public static ItemReporter create(ReportFormat format, boolean quiet, PrintStream out, boolean terminal) {
        if (quiet) {
            return ItemReporter.silent();
        }
        if (format == ReportFormat.JSON) {
            return new JsonLineReporter(out, Clock.systemUTC());
        }
        PlainLineReporter lines = new PlainLineReporter(out);
        return terminal ? new ProgressBarReporter(lines) : lines;
    }

    /**
     * True when stdin and stdout are a terminal. Java 22+ returns a Console even when redirected, so there its
     * {@code isTerminal()} decides; before, a Console exists only on a terminal.
     */
    public static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
