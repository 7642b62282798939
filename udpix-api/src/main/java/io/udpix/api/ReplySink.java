package io.udpix.api;

import io.udpix.engine.transfer.TransferSink;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A reply arriving at a client, collected in memory. The array grows with the bytes that actually arrive (it
 * starts at 64 KiB at most), so a server that announces a large reply holds client memory only by sending it.
 * Client I/O thread only.
 */
final class ReplySink implements TransferSink {
    private static final int FIRST_BYTES = 64 * 1024;
    private final long sizeBytes;
    private final Done done;
    private final Consumer<String> failed;
    private byte[] bytes;
    private int lengthBytes;

    /** For a reply of {@code sizeBytes} (at most the client's reply limit, checked before). */
    ReplySink(long sizeBytes, Done done, Consumer<String> failed) {
        this.sizeBytes = sizeBytes;
        this.done = done;
        this.failed = failed;
        this.bytes = new byte[(int) Math.min(sizeBytes, FIRST_BYTES)];
    }

    @Override
    public int write(ByteBuffer src) {
        int n = (int) Math.min(src.remaining(), sizeBytes - lengthBytes);
        if (lengthBytes + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(sizeBytes, Math.max(lengthBytes + n, 2L * bytes.length)));
        }
        src.get(bytes, lengthBytes, n);
        lengthBytes += n;
        return n;
    }

    @Override
    public void complete(byte[] sha256) {
        done.accept(lengthBytes == bytes.length ? bytes : Arrays.copyOf(bytes, lengthBytes), sha256);
    }

    /** Told the verified reply. */
    @FunctionalInterface
    interface Done {
        void accept(byte[] content, byte[] sha256);
    }

    @Override
    public void abort(String reason) {
        bytes = null;
        failed.accept(reason == null || reason.isEmpty() ? "abandoned" : reason);
    }
}
