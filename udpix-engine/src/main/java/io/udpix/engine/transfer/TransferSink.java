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
     * @throws java.io.IOException the transfer fails with SINK_FAILED and the sender is told; with a
     *         {@link TransferRefusedException} as its cause, with that exception's code and reason instead (a full
     *         disk: NO_SPACE)
     */
    int write(ByteBuffer src) throws java.io.IOException;

    /**
     * Every byte arrived and the SHA-256 matched. The sink makes the item final (renames the file, parses the
     * JSON...). Throwing {@link TransferRefusedException} refuses the item: the sender gets the code and reason.
     */
    void complete(byte[] sha256) throws TransferRefusedException, java.io.IOException;

    /**
     * Whether {@link #complete} only <em>starts</em> making the item final, off the engine's thread (a disk write
     * and rename on a storage thread): then the engine sends no RESULT when {@code complete} returns, and the
     * application later reports the outcome with {@code Endpoint.completeCommit(connectionId, sink, code, reason,
     * nowNs)} on the engine's thread; the RESULT the sender gets is that outcome. Until then the transfer takes no
     * more data and is not {@link #abort aborted} (a commit that has started finishes). False by default:
     * {@code complete} returning normally means OK at once.
     */
    default boolean commitsLater() {
        return false;
    }

    /** The transfer failed or was cancelled: discard everything (delete temporary files). */
    void abort(String reason);

    /**
     * An array of exactly the item's size that the engine may fill in place, each chunk at its offset, instead of
     * copying bytes through its reassembly ring and then {@link #write}: saves the ring's memory and one copy of
     * every byte, for sinks that hold the whole item in memory anyway. Null (the default) for streaming sinks.
     * When the engine uses it, {@link #write} is never called; {@link #placed} reports progress and
     * {@link #complete} follows as usual. The sink must not read the array before {@link #complete}.
     */
    default byte[] placementArray() {
        return null;
    }

    /**
     * For a resumable transfer (the sender's OPEN says RESUMABLE, docs/PROTOCOL.md section 5.5): how many of the
     * content's first bytes this sink already holds, asked once, right after the sink factory made it, on the
     * engine's thread (answer from memory). The engine answers the sender with a RESUME frame naming this offset,
     * then hands {@link #write} only the bytes from there on. 0 (the default) takes every byte.
     *
     * <p>A sink that answers more than 0 takes over the verification: the engine never saw the first bytes, so it
     * cannot hash the content; it calls {@link #complete} with the SHA-256 the sender announced, and the sink must
     * check its whole content against it (off the engine's thread when it {@link #commitsLater}) and refuse with
     * HASH_MISMATCH otherwise. An answer outside {@code [0, size]} is taken as 0; a sink with a
     * {@link #placementArray} is never resumed.
     */
    default long resumeFromBytes() {
        return 0;
    }

    /** With a placement array: the first {@code bytes} bytes are in place, in order and hashed. */
    default void placed(long bytes) {
    }
}
