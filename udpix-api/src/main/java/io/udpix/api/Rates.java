package io.udpix.api;

/** Rate arithmetic shared by results and events. */
final class Rates {
    private Rates() {
    }

    /** {@code bytes} per second over {@code elapsedNs}; 0 when no time passed (a rate would be meaningless). */
    static double bytesPerSecond(long bytes, long elapsedNs) {
        return elapsedNs <= 0 ? 0 : bytes * 1e9 / elapsedNs;
    }
}
