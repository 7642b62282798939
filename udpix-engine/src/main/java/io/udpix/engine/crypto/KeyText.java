package io.udpix.engine.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * How keys are written for people and files: a public key is its 32 bytes in standard Base64 (44 characters, as
 * WireGuard writes keys); a fingerprint is {@code SHA256:} and the unpadded Base64 of the key's SHA-256, as
 * OpenSSH prints host-key fingerprints. Either form may be given wherever a key is expected.
 */
public final class KeyText {
    /** Prefix of a fingerprint. */
    public static final String FINGERPRINT_PREFIX = "SHA256:";

    private KeyText() {
    }

    /** {@code publicKey} (32 bytes) as Base64. */
    public static String publicKeyText(byte[] publicKey) {
        checkLength(publicKey);
        return Base64.getEncoder().encodeToString(publicKey);
    }

    /** The fingerprint of {@code publicKey}: {@code SHA256:} + unpadded Base64 of its SHA-256. */
    public static String fingerprint(byte[] publicKey) {
        checkLength(publicKey);
        return FINGERPRINT_PREFIX + Base64.getEncoder().withoutPadding().encodeToString(sha256(publicKey));
    }

    /**
     * The 32-byte key a Base64 text names; IllegalArgumentException says what is wrong with it (a fingerprint is
     * not a key: use {@link #matches}).
     */
    public static byte[] parsePublicKey(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith(FINGERPRINT_PREFIX)) {
            throw new IllegalArgumentException("'" + t + "' is a fingerprint, not a key");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + t + "' is not a Base64 key: " + e.getMessage());
        }
        if (key.length != StaticKeyPair.KEY_BYTES) {
            throw new IllegalArgumentException("'" + t + "' decodes to " + key.length + " bytes; a udpix key is "
                    + StaticKeyPair.KEY_BYTES + " bytes (44 Base64 characters)");
        }
        return key;
    }

    /** True when {@code keyOrFingerprint} (a Base64 key or a {@code SHA256:} fingerprint) names {@code publicKey}. */
    public static boolean matches(String keyOrFingerprint, byte[] publicKey) {
        String t = keyOrFingerprint == null ? "" : keyOrFingerprint.strip();
        if (t.startsWith(FINGERPRINT_PREFIX)) {
            return MessageDigest.isEqual(t.getBytes(StandardCharsets.US_ASCII),
                    fingerprint(publicKey).getBytes(StandardCharsets.US_ASCII));
        }
        try {
            return MessageDigest.isEqual(parsePublicKey(t), publicKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void checkLength(byte[] publicKey) {
        if (publicKey == null || publicKey.length != StaticKeyPair.KEY_BYTES) {
            throw new IllegalArgumentException("a public key is " + StaticKeyPair.KEY_BYTES + " bytes");
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
