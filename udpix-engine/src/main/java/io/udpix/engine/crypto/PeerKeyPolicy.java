package io.udpix.engine.crypto;

import java.net.InetSocketAddress;

/**
 * Decides whether a peer's static key, proven in the handshake, is the one we accept: a client checks the server's
 * key (pinned, or trusted on first use), a server checks the client's (an allow list). Called on the engine's
 * thread during the handshake, so it must be quick and must not block.
 */
@FunctionalInterface
public interface PeerKeyPolicy {
    /** Accepts every key (the connection is still encrypted, but the peer is not authenticated). */
    PeerKeyPolicy ACCEPT_ANY = (peer, key) -> null;

    /**
     * Null to accept {@code publicKey} (32 bytes; do not keep the array) from {@code peer}, or a sentence saying why
     * it is refused and what to do about it; that sentence reaches the user.
     */
    String check(InetSocketAddress peer, byte[] publicKey);
}
