package io.udpix.cli.send;

import io.udpix.api.trust.KnownServers;
import io.udpix.engine.crypto.StaticKeyPair;

/**
 * How {@code send} checks the server's key, and the key it shows: a pinned key, or trust on first use with a
 * known-servers list, or neither (any key, {@code --no-known-servers}).
 *
 * @param serverKey    the pinned key or fingerprint, or null
 * @param knownServers the known-servers list (already read), or null
 * @param clientKey    the client's key, or null for an ephemeral one
 */
record SendTrust(String serverKey, KnownServers knownServers, StaticKeyPair clientKey) {
}
