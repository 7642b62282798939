package io.udpix.cli.report;

/** How items are reported ({@code --format}). */
public enum ReportFormat {
    /** One line per item for people. */
    PLAIN,
    /** One JSON object per line for programs. */
    JSON;

    @Override
    public String toString() {
        // Shown in --help as the default value; options are typed in lower case.
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
