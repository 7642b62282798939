package io.udpix.engine.event;

/**
 * The receiver verified the SHA-256 and (for outgoing transfers) confirmed it.
 *
 * @param resumedFromBytes where a resumed transfer started (docs/PROTOCOL.md section 5.5): the receiver already
 *                         held the content's first bytes up to here, so only the rest went over the network; 0
 *                         for a transfer that moved every byte
 */
public record TransferCompleted(long connectionId, int transferId, boolean incoming, TransferInfo info,
        long elapsedNs, long resumedFromBytes) implements EndpointEvent {
    /** A transfer that moved every byte (not resumed). */
    public TransferCompleted(long connectionId, int transferId, boolean incoming, TransferInfo info, long elapsedNs) {
        this(connectionId, transferId, incoming, info, elapsedNs, 0);
    }

    /** Content bytes that went over the network as new data (retransmissions not counted). */
    public long movedBytes() {
        return info.sizeBytes() - resumedFromBytes;
    }
}
