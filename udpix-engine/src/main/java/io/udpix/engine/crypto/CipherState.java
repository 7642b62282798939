package io.udpix.engine.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise CipherState (Noise spec rev 34 section 5.1) with AESGCM (section 12.3): a 32-byte key and a 64-bit nonce
 * counter; the 96-bit AES-GCM nonce is 4 zero bytes and the counter big-endian. Used for the handshake messages;
 * the transport packets use {@link PacketCipher}, which takes explicit packet numbers as nonces (section 11.4).
 */
public final class CipherState {
    /** AEAD tag length. */
    public static final int TAG_BYTES = 16;
    /** Key length. */
    public static final int KEY_BYTES = 32;
    /** Nonce 2^64-1 is reserved for {@link #rekey()} (section 5.1). */
    static final long MAX_NONCE = -1L;

    private byte[] k;
    private long n;

    CipherState() {
        // No Cipher is kept: a handshake uses a handful, and a half-open handshake must stay small.
    }

    static Cipher newAesGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
        }
    }

    /** The 12-byte AESGCM nonce of counter {@code n}: 32 zero bits, then n big-endian (section 12.3). */
    static byte[] nonce(long n) {
        byte[] iv = new byte[12];
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (n >>> (56 - 8 * i));
        }
        return iv;
    }

    void initializeKey(byte[] key) {
        k = key == null ? null : key.clone();
        n = 0;
    }

    long nonce() {
        return n;
    }

    /** Noise SetNonce (section 5.1). */
    void setNonce(long nonce) {
        n = nonce;
    }

    boolean hasKey() {
        return k != null;
    }

    /** The key (a copy), for {@link PacketCipher}; null when none. */
    byte[] key() {
        return k == null ? null : k.clone();
    }

    byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
        if (k == null) {
            return plaintext.clone();
        }
        if (n == MAX_NONCE) {
            throw new NoiseException("nonce space exhausted");
        }
        byte[] out = encrypt(k, n, ad, plaintext);
        n++;
        return out;
    }

    byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
        if (k == null) {
            return ciphertext.clone();
        }
        if (n == MAX_NONCE) {
            throw new NoiseException("nonce space exhausted");
        }
        byte[] out = decrypt(k, n, ad, ciphertext);
        n++; // section 5.1: the nonce advances only after a successful decryption
        return out;
    }

    /** Section 4.2 REKEY(k): the first 32 bytes of ENCRYPT(k, 2^64-1, empty, 32 zero bytes). */
    void rekey() {
        k = rekey(k);
    }

    static byte[] rekey(byte[] key) {
        try {
            byte[] out = encrypt(key, MAX_NONCE, new byte[0], new byte[KEY_BYTES]);
            byte[] next = new byte[KEY_BYTES];
            System.arraycopy(out, 0, next, 0, KEY_BYTES);
            return next;
        } catch (NoiseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encrypt(byte[] key, long n, byte[] ad, byte[] plaintext) throws NoiseException {
        try {
            Cipher c = newAesGcm();
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce(n)));
            c.updateAAD(ad);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("AES-GCM failed: " + e.getMessage());
        }
    }

    private static byte[] decrypt(byte[] key, long n, byte[] ad, byte[] ciphertext) throws NoiseException {
        if (ciphertext.length < TAG_BYTES) {
            throw new NoiseException("ciphertext shorter than its tag");
        }
        try {
            Cipher cipher = newAesGcm();
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce(n)));
            cipher.updateAAD(ad);
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new NoiseException("authentication failed");
        } catch (GeneralSecurityException e) {
            throw new NoiseException("AES-GCM failed: " + e.getMessage());
        }
    }
}
