package io.udpix.engine.event;

import io.udpix.engine.stream.StreamStats;

/**
 * A stream ended: closed by either side (code OK), refused by the peer, or failed with the connection.
 * {@code errorCode} is one of {@code io.udpix.wire.ErrorCode}; {@code stats} are its final figures.
 */
public record StreamEnded(long connectionId, int streamId, boolean incoming, int errorCode, String reason,
        StreamStats stats) implements EndpointEvent {}
