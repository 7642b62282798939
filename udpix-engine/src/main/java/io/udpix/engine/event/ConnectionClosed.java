package io.udpix.engine.event;

import java.net.InetSocketAddress;

/** The connection ended (closed by either side, idle timeout, handshake timeout or error). */
public record ConnectionClosed(long connectionId, InetSocketAddress peer, int errorCode, String reason)
        implements EndpointEvent {}
