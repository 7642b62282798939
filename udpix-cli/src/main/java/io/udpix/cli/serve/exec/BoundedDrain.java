package io.udpix.cli.serve.exec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a child's output stream to its end on a thread of its own (so the child never blocks on a full pipe),
 * keeping at most {@code limitBytes}: the first ones ({@link Keep#HEAD}, standard output) or the last ones
 * ({@link Keep#TAIL}, standard error, in a ring); the rest is read and counted, never stored.
 */
final class BoundedDrain implements Runnable {
    /** Which bytes are kept. */
    enum Keep { HEAD, TAIL }

    private final InputStream in;
    private final int limitBytes;
    private final Keep keep;
    private final byte[] kept;
    /** Bytes read in all; guarded by {@code this} once the thread ended (read after join). */
    private long totalBytes;
    private final Thread thread;

    BoundedDrain(InputStream in, int limitBytes, Keep keep, String threadName) {
        this.in = in;
        this.limitBytes = limitBytes;
        this.keep = keep;
        this.kept = new byte[limitBytes];
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (this) {
                    store(buffer, n);
                }
            }
        } catch (IOException e) {
            // The stream closed under us (the child was killed): what was read is what there is.
        }
    }

    private void store(byte[] buffer, int n) {
        if (keep == Keep.HEAD) {
            if (totalBytes < limitBytes) {
                int room = (int) Math.min(n, limitBytes - totalBytes);
                System.arraycopy(buffer, 0, kept, (int) totalBytes, room);
            }
        } else {
            for (int i = 0; i < n; i++) {
                kept[(int) ((totalBytes + i) % limitBytes)] = buffer[i];
            }
        }
        totalBytes += n;
    }

    /** Waits at most {@code timeoutMs} for the stream's end; false when it did not come (a detached holder). */
    boolean await(long timeoutMs) throws InterruptedException {
        thread.join(Math.max(1, timeoutMs));
        return !thread.isAlive();
    }

    /** The bytes kept, in stream order. */
    synchronized byte[] kept() {
        int n = (int) Math.min(totalBytes, limitBytes);
        if (keep == Keep.HEAD || totalBytes <= limitBytes) {
            return Arrays.copyOf(kept, n);
        }
        byte[] ordered = new byte[limitBytes];
        int start = (int) (totalBytes % limitBytes);
        System.arraycopy(kept, start, ordered, 0, limitBytes - start);
        System.arraycopy(kept, 0, ordered, limitBytes - start, start);
        return ordered;
    }

    /** Bytes read beyond those kept. */
    synchronized long droppedBytes() {
        return Math.max(0, totalBytes - limitBytes);
    }
}
