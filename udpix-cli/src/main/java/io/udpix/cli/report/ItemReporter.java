package io.udpix.cli.report;

/**
 * Tells the user about items: progress while they move, one report when each ends. Implementations are
 * thread-safe (a server reports items from many clients at once) and flush after every line.
 */
public interface ItemReporter extends AutoCloseable {

    /** A reporter that prints nothing ({@code --quiet}). */
    static ItemReporter silent() {
        return SilentReporter.INSTANCE;
    }

    /** An item of {@code totalBytes} starts moving; the handle takes its progress. */
    default ItemProgress start(String kind, String name, long totalBytes) {
        return ItemProgress.NONE;
    }

    /** An item ended. */
    void finished(ItemReport report);

    /** A line about the tool itself, e.g. {@code listening on 127.0.0.1:9000}. */
    void status(String message);

    /** Ends any progress display; nothing is printed afterwards. */
    @Override
    default void close() {
    }
}
