package io.udpix.api;

/**
 * Told how much of an item the receiver has confirmed. Called on the client's I/O thread, at most every
 * {@link UdpixClient#PROGRESS_INTERVAL_NS} ns per item plus once at the start (0) and once at the end (total):
 * it must return quickly and must not block.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = (bytesConfirmed, totalBytes) -> { };

    /** {@code bytesConfirmed} of {@code totalBytes} are acknowledged by the receiver. */
    void onProgress(long bytesConfirmed, long totalBytes);
}
