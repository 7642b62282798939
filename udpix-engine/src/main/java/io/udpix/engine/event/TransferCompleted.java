package io.udpix.engine.event;

/** The receiver verified the SHA-256 and (for outgoing transfers) confirmed it. */
public record TransferCompleted(long connectionId, int transferId, boolean incoming, TransferInfo info,
        long elapsedNs) implements EndpointEvent {}
