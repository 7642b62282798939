package io.udpix.api;

import io.udpix.api.trust.KnownServers;
import io.udpix.engine.crypto.KeyText;
import io.udpix.engine.crypto.PeerKeyPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * How one {@link UdpixClient} trusts its server's key: the policy the handshake checks (a pinned key, the
 * known-servers file or any key), the key the server proved, and a server trusted on first use, recorded after
 * the handshake. Kept out of UdpixClient so that each class stays small.
 */
final class ClientTrust {
    private final InetSocketAddress server;
    /** The known-servers list, unless a pinned key overrides it. */
    private final KnownServers knownServers;
    private final PeerKeyPolicy trust;
    /** The server's key as the handshake proved it (set on the I/O thread, read by others). */
    private volatile byte[] serverKeySeen;
    private volatile String trustNotice;
    /** Guarded by the client's lifecycle lock: the known-servers file is written once, by the first awaitConnected. */
    private boolean trustRecorded;

    /** {@code serverKey} (pinned; overrides {@code knownServers}) and {@code knownServers} may be null. */
    ClientTrust(InetSocketAddress server, String serverKey, KnownServers knownServers) {
        this.server = server;
        this.knownServers = serverKey == null ? knownServers : null;
        this.trust = serverKey != null ? ServerKeyPin.policy(serverKey)
                : this.knownServers != null ? this.knownServers.policy() : PeerKeyPolicy.ACCEPT_ANY;
    }

    /** The engine's server key policy: keeps the key the server proved, then checks it. */
    PeerKeyPolicy policy() {
        return (peer, key) -> {
            serverKeySeen = key.clone();
            return trust.check(peer, key);
        };
    }

    /** Records a server trusted on first use, once; the caller holds the client's lifecycle lock. */
    void recordOnce() {
        if (!trustRecorded) {
            trustRecorded = true;
            recordTrust();
        }
    }

    /** After the handshake: writes a server trusted on first use to the known-servers file (caller's thread). */
    private void recordTrust() {
        if (knownServers == null) {
            return;
        }
        try {
            InetSocketAddress self = new InetSocketAddress(server.getAddress(), server.getPort());
            for (KnownServers.Recorded r : knownServers.recordNew()) {
                if (r.server().equals(self)) { // A list shared by several clients may record others' servers too.
                    trustNotice = r.notice();
                }
            }
        } catch (IOException e) {
            byte[] key = serverKeySeen;
            trustNotice = "trusting new server " + Addresses.text(server) + " key " + (key == null ? "?"
                    : KeyText.fingerprint(key)) + " for this connection only: could not record it in "
                    + knownServers.file() + " (" + e.getMessage() + ")";
        }
    }

    /** See {@link UdpixClient#serverFingerprint()}. */
    Optional<String> serverFingerprint() {
        byte[] key = serverKeySeen;
        return key == null ? Optional.empty() : Optional.of(KeyText.fingerprint(key));
    }

    /** See {@link UdpixClient#trustNotice()}. */
    Optional<String> trustNotice() {
        return Optional.ofNullable(trustNotice);
    }
}
