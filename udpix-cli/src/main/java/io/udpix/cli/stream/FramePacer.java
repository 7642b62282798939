package io.udpix.cli.stream;

import java.util.concurrent.TimeUnit;

/**
 * Paces a stream loop at its frame rate: each frame is due one period after the previous one was due, and a loop
 * that fell more than a period behind (a slow source) goes on from now instead of catching up in a burst.
 */
final class FramePacer {
    private final long periodNs;
    private long nextNs;

    FramePacer(double fps, long startNs) {
        this.periodNs = Math.round(1e9 / fps);
        this.nextNs = startNs;
    }

    /** Sleeps until the next frame is due. */
    void awaitNext() throws InterruptedException {
        nextNs += periodNs;
        long waitNs = nextNs - System.nanoTime();
        if (waitNs > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNs);
        } else if (waitNs < -periodNs) {
            nextNs = System.nanoTime();
        }
    }
}
