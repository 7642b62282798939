package io.udpix.engine.stream;

/**
 * Where incoming streams charge the memory their frames hold: the connection's reassembly budget and its peer
 * address's share of it (docs/PROTOCOL.md sections 5.5 and 5.8.5). Every reservation that succeeded is released
 * exactly once.
 */
public interface StreamMemory {
    /** Reserves {@code bytes} from the budget and the peer's share; false (nothing taken, refusal counted) if not. */
    boolean tryReserve(long bytes);

    /** Gives back {@code bytes} of earlier reservations. */
    void release(long bytes);
}
