package io.udpix.cli;

import io.udpix.api.UdpixClient;
import io.udpix.api.trust.KnownServers;
import io.udpix.engine.crypto.StaticKeyPair;

/**
 * How a client command ({@code send}, {@code stream}) checks the server's key, and the key it shows: a pinned
 * key, or trust on first use with a known-servers list, or neither (any key, {@code --no-known-servers}).
 *
 * @param serverKey    the pinned key or fingerprint, or null
 * @param knownServers the known-servers list (already read), or null
 * @param clientKey    the client's key, or null for an ephemeral one
 */
public record ClientTrust(String serverKey, KnownServers knownServers, StaticKeyPair clientKey) {

    /** Sets these on {@code builder}. */
    public UdpixClient.Builder applyTo(UdpixClient.Builder builder) {
        if (serverKey != null) {
            builder.serverKey(serverKey);
        } else if (knownServers != null) {
            builder.knownServers(knownServers);
        }
        if (clientKey != null) {
            builder.key(clientKey);
        }
        return builder;
    }
}
