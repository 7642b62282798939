package io.udpix.engine.event;

/** Bytes confirmed so far: delivered to the sink (incoming) or acknowledged by the peer (outgoing). */
public record TransferProgress(long connectionId, int transferId, boolean incoming, long doneBytes, long sizeBytes)
        implements EndpointEvent {}
