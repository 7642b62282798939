package io.udpix.engine.transfer;

import java.nio.ByteBuffer;

/** A source over bytes in memory. */
public final class ByteArraySource implements TransferSource {
    private final byte[] bytes;

    /** Reads from {@code bytes}, which the caller must not change until the transfer ends. */
    public ByteArraySource(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read(long offset, ByteBuffer dst) {
        if (offset >= bytes.length) {
            return 0;
        }
        int n = (int) Math.min(dst.remaining(), bytes.length - offset);
        dst.put(bytes, (int) offset, n);
        return n;
    }
}
