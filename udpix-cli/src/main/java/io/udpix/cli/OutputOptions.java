package io.udpix.cli;

import io.udpix.cli.report.ItemReporter;
import io.udpix.cli.report.ReportFormat;
import io.udpix.cli.report.Reporters;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --format}: mixed into subcommands that report items (serve, send). */
public final class OutputOptions {

    @Option(names = {"-q", "--quiet"}, description = "Print nothing per item; errors still go to stderr.")
    private boolean quiet;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "plain",
            description = "plain: one line per item for people (a progress bar on a terminal for items taking "
                    + "over a second); json: one JSON object per line for programs. Default: ${DEFAULT-VALUE}.")
    private ReportFormat format = ReportFormat.PLAIN;

    /** True with {@code --quiet}. */
    public boolean quiet() {
        return quiet;
    }

    /** The chosen format. */
    public ReportFormat format() {
        return format;
    }

    /** The reporter these options ask for, printing to {@code out} (progress bars only on a terminal). */
    public ItemReporter reporter(PrintStream out) {
        return Reporters.create(format, quiet, out, Reporters.onTerminal());
    }
}
