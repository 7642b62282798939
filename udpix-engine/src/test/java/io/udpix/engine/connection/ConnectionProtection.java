package io.udpix.engine.connection;

import io.udpix.wire.PacketProtection;

/** Test access to a connection's packet protection (its {@link io.udpix.engine.crypto.PacketCipher} once keyed). */
public final class ConnectionProtection {
    private ConnectionProtection() {
    }

    /** The protection {@code c} seals and opens DATA packets with, or null before the handshake gave it keys. */
    public static PacketProtection of(Connection c) {
        return c.protection;
    }
}
