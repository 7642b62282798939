package io.udpix.engine.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Noise HandshakeState (Noise spec rev 34 section 5.3) for the one pattern udpix uses,
 * {@code Noise_XX_25519_AESGCM_SHA256}:
 *
 * <pre>
 *   XX:
 *     -> e
 *     &lt;- e, ee, s, es
 *     -> s, se
 * </pre>
 *
 * Both sides prove a static key; the client (initiator) learns the server's key in message 2 and sends its own,
 * encrypted, in message 3. X25519 is BouncyCastle's RFC 7748 code; a DH whose output is all zeros (a low-order
 * public key) fails the handshake (section 12.1 allows either; rejecting is the safe choice). Ephemeral keys come
 * from a {@link SecureRandom}; only the published-vector test injects fixed ones. Not thread-safe; one per
 * handshake, and it holds a few hundred bytes.
 */
public final class HandshakeState {
    /** The Noise protocol name (section 8). */
    public static final String PROTOCOL_NAME = "Noise_XX_25519_AESGCM_SHA256";
    /** DHLEN for X25519. */
    public static final int DH_BYTES = 32;
    /** Message 1 overhead: e. */
    public static final int MESSAGE1_OVERHEAD_BYTES = DH_BYTES;
    /** Message 2 overhead: e, encrypted s, payload tag. */
    public static final int MESSAGE2_OVERHEAD_BYTES = DH_BYTES + DH_BYTES + 2 * CipherState.TAG_BYTES;
    /** Message 3 overhead: encrypted s, payload tag. */
    public static final int MESSAGE3_OVERHEAD_BYTES = DH_BYTES + 2 * CipherState.TAG_BYTES;

    private final boolean initiator;
    private final SymmetricState ss = new SymmetricState(PROTOCOL_NAME);
    private final byte[] sPrivate = new byte[DH_BYTES];
    private final byte[] sPublic = new byte[DH_BYTES];
    private final byte[] ePrivate = new byte[DH_BYTES];
    private final byte[] ePublic = new byte[DH_BYTES];
    private byte[] rs;
    private byte[] re;
    private int messageIndex;
    private boolean failed;

    private HandshakeState(boolean initiator, StaticKeyPair s, byte[] prologue, byte[] ephemeralPrivate) {
        this.initiator = initiator;
        s.privateKeyInto(sPrivate);
        X25519.scalarMultBase(sPrivate, 0, sPublic, 0);
        System.arraycopy(ephemeralPrivate, 0, ePrivate, 0, DH_BYTES);
        X25519.scalarMultBase(ePrivate, 0, ePublic, 0);
        Arrays.fill(ephemeralPrivate, (byte) 0);
        ss.mixHash(prologue);
    }

    /** The client's side, with a fresh ephemeral key from {@code random}. */
    public static HandshakeState initiator(StaticKeyPair s, byte[] prologue, SecureRandom random) {
        return new HandshakeState(true, s, prologue, randomKey(random));
    }

    /** The server's side, with a fresh ephemeral key from {@code random}. */
    public static HandshakeState responder(StaticKeyPair s, byte[] prologue, SecureRandom random) {
        return new HandshakeState(false, s, prologue, randomKey(random));
    }

    /** Only for the published test vectors: a fixed ephemeral private key. */
    static HandshakeState withEphemeral(boolean initiator, StaticKeyPair s, byte[] prologue, byte[] ephemeral) {
        return new HandshakeState(initiator, s, prologue, ephemeral.clone());
    }

    private static byte[] randomKey(SecureRandom random) {
        byte[] k = new byte[DH_BYTES];
        random.nextBytes(k);
        return k;
    }

    /** Writes the next message (1 for the initiator, 2 for the responder, 3 for the initiator). */
    public byte[] writeMessage(byte[] payload) throws NoiseException {
        checkTurn(true);
        try {
            byte[] out;
            switch (messageIndex) {
                case 0 -> { // -> e
                    ss.mixHash(ePublic);
                    out = concat(ePublic, ss.encryptAndHash(payload));
                }
                case 1 -> { // <- e, ee, s, es
                    ss.mixHash(ePublic);
                    ss.mixKey(dh(ePrivate, re));
                    byte[] encS = ss.encryptAndHash(sPublic);
                    ss.mixKey(dh(sPrivate, re));
                    out = concat(ePublic, encS, ss.encryptAndHash(payload));
                }
                default -> { // -> s, se
                    byte[] encS = ss.encryptAndHash(sPublic);
                    ss.mixKey(dh(sPrivate, re));
                    out = concat(encS, ss.encryptAndHash(payload));
                }
            }
            messageIndex++;
            return out;
        } catch (NoiseException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Reads the peer's next message; returns its payload. A message that fails (bad length, failed tag, low-order
     * key) changes nothing: over UDP anyone can inject a datagram, so a forged message must not end a handshake
     * that the genuine message, arriving later, would complete. (Noise section 5.3 lets the application decide
     * what to do on an error; like DTLS we discard the message.)
     */
    public byte[] readMessage(byte[] message) throws NoiseException {
        checkTurn(false);
        SymmetricState saved = ss.copy();
        byte[] savedRe = re;
        byte[] savedRs = rs;
        try {
            byte[] payload;
            switch (messageIndex) {
                case 0 -> { // -> e
                    require(message, MESSAGE1_OVERHEAD_BYTES);
                    re = Arrays.copyOfRange(message, 0, DH_BYTES);
                    ss.mixHash(re);
                    payload = ss.decryptAndHash(Arrays.copyOfRange(message, DH_BYTES, message.length));
                }
                case 1 -> { // <- e, ee, s, es
                    require(message, MESSAGE2_OVERHEAD_BYTES);
                    re = Arrays.copyOfRange(message, 0, DH_BYTES);
                    ss.mixHash(re);
                    ss.mixKey(dh(ePrivate, re));
                    int sEnd = 2 * DH_BYTES + CipherState.TAG_BYTES;
                    rs = ss.decryptAndHash(Arrays.copyOfRange(message, DH_BYTES, sEnd));
                    ss.mixKey(dh(ePrivate, rs));
                    payload = ss.decryptAndHash(Arrays.copyOfRange(message, sEnd, message.length));
                }
                default -> { // -> s, se
                    require(message, MESSAGE3_OVERHEAD_BYTES);
                    int sEnd = DH_BYTES + CipherState.TAG_BYTES;
                    rs = ss.decryptAndHash(Arrays.copyOfRange(message, 0, sEnd));
                    ss.mixKey(dh(ePrivate, rs));
                    payload = ss.decryptAndHash(Arrays.copyOfRange(message, sEnd, message.length));
                }
            }
            messageIndex++;
            return payload;
        } catch (NoiseException e) {
            ss.restore(saved);
            re = savedRe;
            rs = savedRs;
            throw e;
        }
    }

    private void checkTurn(boolean writing) throws NoiseException {
        if (failed) {
            throw new NoiseException("this handshake already failed");
        }
        if (messageIndex > 2) {
            throw new NoiseException("the handshake is complete");
        }
        boolean initiatorsTurn = messageIndex % 2 == 0;
        if (writing != (initiatorsTurn == initiator)) {
            throw new NoiseException("not this side's turn to " + (writing ? "write" : "read"));
        }
    }

    private static void require(byte[] message, int minBytes) throws NoiseException {
        if (message.length < minBytes) {
            throw new NoiseException("handshake message of " + message.length + " bytes is shorter than "
                    + minBytes);
        }
    }

    private static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
        byte[] out = new byte[DH_BYTES];
        if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            throw new NoiseException("the peer's key is of low order (all-zero DH output)");
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** True once all three messages were written or read. */
    public boolean isComplete() {
        return messageIndex == 3 && !failed;
    }

    /** The peer's static public key (a copy), known after message 2 (initiator) or 3 (responder); else null. */
    public byte[] remoteStaticKey() {
        return rs == null ? null : rs.clone();
    }

    /** This side's static public key (a copy). */
    public byte[] localStaticKey() {
        return sPublic.clone();
    }

    /** The handshake hash h (channel binding, section 11.2). */
    public byte[] handshakeHash() {
        return ss.handshakeHash();
    }

    /**
     * Section 5.2 Split() after message 3: element 0 is the initiator-to-responder key, element 1 the
     * responder-to-initiator key. Wipes this state's private keys.
     */
    public byte[][] split() {
        if (!isComplete()) {
            throw new IllegalStateException("split before the handshake completed");
        }
        Arrays.fill(ePrivate, (byte) 0);
        Arrays.fill(sPrivate, (byte) 0);
        return ss.split();
    }
}
