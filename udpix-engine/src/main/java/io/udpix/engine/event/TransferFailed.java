package io.udpix.engine.event;

/** The transfer ended without verified delivery; {@code errorCode} is one of {@code io.udpix.wire.ErrorCode}. */
public record TransferFailed(long connectionId, int transferId, boolean incoming, int errorCode, String reason)
        implements EndpointEvent {}
