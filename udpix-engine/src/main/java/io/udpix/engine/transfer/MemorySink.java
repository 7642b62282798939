package io.udpix.engine.transfer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/** Collects a small item in memory (the engine checks the declared size first) and hands it over when verified. */
public final class MemorySink implements TransferSink {
    private final byte[] bytes;
    private int lengthBytes;
    private final Consumer<byte[]> onComplete;

    /** A sink for an item of exactly {@code sizeBytes} bytes (at most 2^31-9), given to {@code onComplete}. */
    public MemorySink(long sizeBytes, Consumer<byte[]> onComplete) {
        if (sizeBytes < 0 || sizeBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("item of " + sizeBytes + " bytes is too large for memory; use a file sink");
        }
        this.bytes = new byte[(int) sizeBytes];
        this.onComplete = onComplete;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), bytes.length - lengthBytes);
        src.get(bytes, lengthBytes, n);
        lengthBytes += n;
        return n;
    }

    @Override
    public byte[] placementArray() {
        return bytes;
    }

    @Override
    public void placed(long bytes) {
        lengthBytes = (int) bytes;
    }

    @Override
    public void complete(byte[] sha256) {
        onComplete.accept(lengthBytes == bytes.length ? bytes : Arrays.copyOf(bytes, lengthBytes));
    }

    @Override
    public void abort(String reason) {
        // Nothing to clean up: the array becomes garbage.
    }
}
