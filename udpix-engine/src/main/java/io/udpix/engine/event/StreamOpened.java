package io.udpix.engine.event;

import io.udpix.engine.stream.StreamParams;
import java.net.InetSocketAddress;

/**
 * A frame stream opened: the peer's STREAM_OPEN arrived ({@code incoming}), or ours was taken. {@code params}
 * holds the effective latency budget.
 */
public record StreamOpened(long connectionId, int streamId, boolean incoming, InetSocketAddress peer,
        StreamParams params) implements EndpointEvent {}
