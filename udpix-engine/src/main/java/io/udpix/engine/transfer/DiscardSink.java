package io.udpix.engine.transfer;

import java.nio.ByteBuffer;

/**
 * A sink that takes every byte and keeps none (the engine still checks the SHA-256): for benchmarks and tests
 * that measure the transport, not storage. Stateless, so one instance serves every transfer.
 */
public enum DiscardSink implements TransferSink {
    /** The one instance. */
    INSTANCE;

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        src.position(src.limit());
        return n;
    }

    @Override
    public void complete(byte[] sha256) {}

    @Override
    public void abort(String reason) {}
}
