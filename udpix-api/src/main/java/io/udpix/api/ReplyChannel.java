package io.udpix.api;

import java.net.InetSocketAddress;

/** How a server sends a reply back on the connection a request came on (its port's driver thread does it). */
@FunctionalInterface
interface ReplyChannel {
    /** Sends {@code reply} to {@code peer} as the answer to its transfer {@code requestId} of {@code connectionId}. */
    void send(long connectionId, int requestId, InetSocketAddress peer, Item reply);
}
