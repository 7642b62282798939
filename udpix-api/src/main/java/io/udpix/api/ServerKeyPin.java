package io.udpix.api;

import io.udpix.engine.crypto.KeyText;
import io.udpix.engine.crypto.PeerKeyPolicy;

/** A client's pinned server key ({@code UdpixClient.Builder.serverKey}): the policy and its refusal text. */
final class ServerKeyPin {
    private ServerKeyPin() {
    }

    /** The pinning policy: only the key {@code keyOrFingerprint} names. */
    static PeerKeyPolicy policy(String keyOrFingerprint) {
        return (peer, key) -> KeyText.matches(keyOrFingerprint, key) ? null : "the server "
                + Addresses.text(peer) + " offered the key " + KeyText.fingerprint(key) + ", not the pinned "
                + pinnedFingerprint(keyOrFingerprint) + ": someone may be intercepting the connection, or the "
                + "server's key changed. If it did (ask its operator for the fingerprint), pin the new one: "
                + "--server-key " + KeyText.fingerprint(key);
    }

    private static String pinnedFingerprint(String keyOrFingerprint) {
        String t = keyOrFingerprint.strip();
        return t.startsWith(KeyText.FINGERPRINT_PREFIX) ? t : KeyText.fingerprint(KeyText.parsePublicKey(t));
    }
}
