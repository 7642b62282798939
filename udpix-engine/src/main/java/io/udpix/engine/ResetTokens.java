package io.udpix.engine;

import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.wire.ResetPacket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless reset tokens (RFC 9000 section 10.3): token = first 16 bytes of HMAC-SHA256(resetKey, server
 * connection id), resetKey = HMAC-SHA256(static private key, "udpix/2 reset key"). Derived from the static key, so
 * a server restarted with the same key can still prove a RESET for connections it forgot; a client got the token
 * inside the encrypted ACCEPT, so nobody else can produce it.
 */
final class ResetTokens {
    private static final byte[] LABEL = "udpix/2 reset key".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;
    private final byte[] input = new byte[8];
    private final byte[] out = new byte[32];

    ResetTokens(StaticKeyPair staticKey) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(staticKey.privateKey(), "HmacSHA256"));
            byte[] resetKey = derive.doFinal(LABEL);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(resetKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** The token for {@code serverConnectionId}, written into {@code dst} (16 bytes); returns dst. */
    byte[] token(long serverConnectionId, byte[] dst) {
        for (int i = 0; i < 8; i++) {
            input[i] = (byte) (serverConnectionId >>> (56 - 8 * i));
        }
        mac.update(input);
        try {
            mac.doFinal(out, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(out, 0, dst, 0, ResetPacket.TOKEN_LENGTH);
        return dst;
    }
}
