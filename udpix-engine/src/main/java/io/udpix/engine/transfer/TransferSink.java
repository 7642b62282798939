package io.udpix.engine.transfer;

import java.nio.ByteBuffer;

/**
 * Where an incoming transfer's bytes go, strictly in order. A sink may accept fewer bytes than offered to push back
 * (a slow disk or consumer): the engine keeps the rest, stops granting flow-control credit, and offers it again.
 */
public interface TransferSink {
    /**
     * Consumes bytes from {@code src} (position to limit), advancing its position; returns how many were taken.
     *
     * @throws java.io.IOException the transfer fails with SINK_FAILED and the sender is told
     */
    int write(ByteBuffer src) throws java.io.IOException;

    /**
     * Every byte arrived and the SHA-256 matched. The sink makes the item final (renames the file, parses the
     * JSON...). Throwing {@link TransferRefusedException} refuses the item: the sender gets the code and reason.
     */
    void complete(byte[] sha256) throws TransferRefusedException, java.io.IOException;

    /** The transfer failed or was cancelled: discard everything (delete temporary files). */
    void abort(String reason);
}
