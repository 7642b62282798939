package io.udpix.engine.event;

import java.net.InetSocketAddress;

/** The handshake finished; transfers may start. */
public record ConnectionEstablished(long connectionId, InetSocketAddress peer) implements EndpointEvent {}
