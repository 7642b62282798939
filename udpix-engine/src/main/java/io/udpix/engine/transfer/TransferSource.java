package io.udpix.engine.transfer;

/**
 * Where an outgoing transfer's bytes come from. Reads are positional because lost chunks are read again for
 * retransmission. Called on the engine's thread; implementations should be quick (a file channel or memory).
 */
public interface TransferSource {
    /**
     * Copies bytes starting at {@code offset} into {@code dst} (from its position up to its limit) and advances the
     * position by the number copied. Returns the number copied; fewer than asked only at the end of the content.
     *
     * @throws java.io.IOException when the content cannot be read; the transfer then fails with SINK_FAILED
     */
    int read(long offset, java.nio.ByteBuffer dst) throws java.io.IOException;

    /** Releases resources; called once when the transfer ends, whatever the outcome. */
    default void close() {}
}
