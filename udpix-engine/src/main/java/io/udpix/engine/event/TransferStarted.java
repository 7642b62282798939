package io.udpix.engine.event;

/** A transfer was opened: by us ({@code incoming == false}) or by the peer. */
public record TransferStarted(long connectionId, int transferId, boolean incoming, TransferInfo info)
        implements EndpointEvent {}
