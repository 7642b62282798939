package io.udpix.cli.report;

import java.io.PrintStream;
import java.util.Objects;

/**
 * One line per item for people:
 * {@code received image cat.jpg 12345 bytes from 127.0.0.1:50000 on port 9000 in 12.3 ms (1.00 MB/s)}.
 */
public final class PlainLineReporter implements ItemReporter {

    private final PrintStream out;

    /** Prints to {@code out}. */
    public PlainLineReporter(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void finished(ItemReport report) {
        String line = format(report);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public void status(String message) {
        synchronized (out) {
            out.println(message);
            out.flush();
        }
    }

    /** The line for {@code report}, without a line break. */
    public static String format(ItemReport report) {
        StringBuilder line = new StringBuilder(160);
        line.append(report.outcome().words()).append(' ').append(report.kind()).append(' ');
        if (!report.name().isEmpty()) {
            line.append(Units.printableName(report.name())).append(' ');
        }
        line.append(report.lengthBytes()).append(report.lengthBytes() == 1 ? " byte " : " bytes ");
        line.append(report.outcome().incoming() ? "from " : "to ").append(report.peer());
        if (report.port() != 0) {
            line.append(" on port ").append(report.port());
        }
        // Zero means not measured (plain mode cannot tell when an item started): no time rather than "0.0 ms".
        if (!report.elapsed().isZero()) {
            line.append(report.outcome().ok() ? " in " : " after ").append(Units.duration(report.elapsed()));
        }
        double rate = report.rateBytesPerSecond();
        if (report.outcome().ok() && rate >= 0) {
            line.append(" (").append(Units.rate(rate)).append(')');
        }
        if (report.resumedFromBytes() > 0) {
            line.append(", resumed at byte ").append(report.resumedFromBytes()).append(": ")
                    .append(report.movedBytes()).append(" bytes moved");
        }
        if (report.savedAs() != null) {
            line.append(" -> ").append(Units.printableName(report.savedAs()));
        }
        if (!report.meta().isEmpty()) {
            line.append(" [");
            boolean first = true;
            for (java.util.Map.Entry<String, String> e : report.meta().entrySet()) {
                line.append(first ? "" : ", ").append(e.getKey()).append('=')
                        .append(Units.printableName(e.getValue()));
                first = false;
            }
            line.append(']');
        }
        if (report.detail() != null) {
            line.append(report.outcome().ok() ? "; " : ": ").append(oneLine(report.detail()));
        }
        return line.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
