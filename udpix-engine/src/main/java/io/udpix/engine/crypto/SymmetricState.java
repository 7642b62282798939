package io.udpix.engine.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise SymmetricState (Noise spec rev 34 section 5.2) with SHA-256: chaining key, handshake hash and a
 * {@link CipherState}; HKDF is HMAC-SHA256 as in section 4.3.
 */
public final class SymmetricState {
    /** SHA-256 output length (HASHLEN). */
    public static final int HASH_BYTES = 32;

    private final CipherState cipher = new CipherState();
    private byte[] ck;
    private byte[] h;

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        if (name.length <= HASH_BYTES) {
            h = new byte[HASH_BYTES];
            System.arraycopy(name, 0, h, 0, name.length);
        } else {
            h = sha256(name);
        }
        ck = h.clone();
        cipher.initializeKey(null);
    }

    private SymmetricState(SymmetricState o) {
        restore(o);
    }

    /** A copy, so a message that fails to authenticate can be undone (see HandshakeState#readMessage). */
    SymmetricState copy() {
        return new SymmetricState(this);
    }

    /** Takes over the state of {@code o}. */
    void restore(SymmetricState o) {
        ck = o.ck.clone();
        h = o.h.clone();
        cipher.initializeKey(o.cipher.key());
        cipher.setNonce(o.cipher.nonce());
    }

    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(ck, inputKeyMaterial, 2);
        ck = out[0];
        cipher.initializeKey(out[1]); // HASHLEN is 32, so no truncation is needed (section 5.2)
    }

    void mixHash(byte[] data) {
        h = sha256(h, data);
    }

    byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
        byte[] c = cipher.encryptWithAd(h, plaintext);
        mixHash(c);
        return c;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
        byte[] p = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return p;
    }

    boolean hasKey() {
        return cipher.hasKey();
    }

    /** The handshake hash h (a copy). */
    byte[] handshakeHash() {
        return h.clone();
    }

    /** Section 5.2 Split(): the initiator-to-responder key and the responder-to-initiator key. */
    byte[][] split() {
        return hkdf(ck, new byte[0], 2);
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** Section 4.3 HKDF(chaining_key, input_key_material, num_outputs) for 2 or 3 outputs. */
    static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] out2 = hmac(tempKey, out1, new byte[] {2});
        if (outputs == 2) {
            return new byte[][] {out1, out2};
        }
        byte[] out3 = hmac(tempKey, out2, new byte[] {3});
        return new byte[][] {out1, out2, out3};
    }
}
