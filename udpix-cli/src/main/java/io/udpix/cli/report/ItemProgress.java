package io.udpix.cli.report;

/** Progress of one item in flight; thread-safe. */
public interface ItemProgress extends AutoCloseable {

    /** A progress that shows nothing. */
    ItemProgress NONE = new ItemProgress() {
        @Override
        public void update(long doneBytes) {
        }

        @Override
        public void close() {
        }
    };

    /** {@code doneBytes} of the item are through (acknowledged or received). */
    void update(long doneBytes);

    /** The item ended (the report follows through {@link ItemReporter#finished}). */
    @Override
    void close();
}
