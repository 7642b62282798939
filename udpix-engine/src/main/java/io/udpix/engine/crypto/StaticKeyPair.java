package io.udpix.engine.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A long-term X25519 key pair (RFC 7748 section 5): the identity a server (and optionally a client) proves in the
 * Noise handshake. The private key is 32 random bytes from {@link SecureRandom}, never from a seed.
 */
public final class StaticKeyPair {
    /** Length of an X25519 private or public key. */
    public static final int KEY_BYTES = 32;

    private final byte[] privateKey;
    private final byte[] publicKey;

    private StaticKeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[KEY_BYTES];
        X25519.scalarMultBase(privateKey, 0, publicKey, 0);
    }

    /** A new key pair from {@code random} (a {@link SecureRandom}). */
    public static StaticKeyPair generate(SecureRandom random) {
        byte[] k = new byte[KEY_BYTES];
        random.nextBytes(k);
        return new StaticKeyPair(k);
    }

    /** The key pair whose private key is {@code privateKey} (32 bytes, copied); the public key is derived. */
    public static StaticKeyPair fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 private key is " + KEY_BYTES + " bytes");
        }
        return new StaticKeyPair(privateKey.clone());
    }

    /** The private key (a copy). */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /** The public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as text ({@link KeyText#publicKeyText}). */
    public String publicKeyText() {
        return KeyText.publicKeyText(publicKey);
    }

    /** The public key's fingerprint ({@link KeyText#fingerprint}). */
    public String fingerprint() {
        return KeyText.fingerprint(publicKey);
    }

    /** Reads the private key into {@code dst} without a copy on the heap beyond the caller's array. */
    void privateKeyInto(byte[] dst) {
        System.arraycopy(privateKey, 0, dst, 0, KEY_BYTES);
    }

    @Override
    public String toString() {
        return "StaticKeyPair[" + fingerprint() + "]"; // never the private key
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StaticKeyPair k && Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }
}
