package io.udpix.cli.report;

/** Prints nothing: {@code --quiet}. */
final class SilentReporter implements ItemReporter {

    static final SilentReporter INSTANCE = new SilentReporter();

    private SilentReporter() {
    }

    @Override
    public void finished(ItemReport report) {
    }

    @Override
    public void status(String message) {
    }
}
