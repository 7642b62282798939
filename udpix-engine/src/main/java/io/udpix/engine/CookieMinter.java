package io.udpix.engine;

import io.udpix.wire.Cookie;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless address validation (RFC 9000 section 8.1.2, QUIC's Retry): a cookie is a timestamp and an HMAC over the
 * client's address, port, connection ID and that timestamp, so the server can check a HELLO's cookie without having
 * kept anything. The cookie key is 256 bits from the endpoint's SecureRandom. Also derives the server's connection
 * ID from the client's address and ID with a second, seeded key (IDs are not secrets; seeding keeps the simulator
 * deterministic), so a repeated HELLO finds the handshake it already started without a second lookup table.
 */
final class CookieMinter {
    /** How long a cookie is accepted after it was issued. */
    static final long VALIDITY_SECONDS = 10;

    private final Mac mac;
    private final Mac idMac;
    private final byte[] scratch = new byte[32];
    private final ByteBuffer input = ByteBuffer.allocate(16 + 2 + 8 + 8 + 1);

    CookieMinter(long seed, java.security.SecureRandom secureRandom) {
        byte[] idSecret = new byte[32];
        SplittableRandom random = new SplittableRandom(seed ^ 0x636F6F6B6965L);
        for (int i = 0; i < idSecret.length; i++) {
            idSecret[i] = (byte) random.nextInt(256);
        }
        byte[] cookieSecret = new byte[32];
        secureRandom.nextBytes(cookieSecret);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cookieSecret, "HmacSHA256"));
            idMac = Mac.getInstance("HmacSHA256");
            idMac.init(new SecretKeySpec(idSecret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private byte[] digest(InetSocketAddress address, long clientId, long issueSeconds, int label) {
        return digest(mac, address, clientId, issueSeconds, label);
    }

    private byte[] digest(Mac mac, InetSocketAddress address, long clientId, long issueSeconds, int label) {
        input.clear();
        input.put(address.getAddress().getAddress());
        input.putShort((short) address.getPort());
        input.putLong(clientId);
        input.putLong(issueSeconds);
        input.put((byte) label);
        input.flip();
        mac.update(input);
        try {
            mac.doFinal(scratch, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return scratch;
    }

    /** Writes a fresh cookie for this client into {@code dst} (at least {@link Cookie#LENGTH} bytes). */
    void mint(InetSocketAddress address, long clientId, long nowNs, byte[] dst) {
        long seconds = nowNs / 1_000_000_000L;
        byte[] d = digest(address, clientId, seconds, 1);
        dst[0] = (byte) (seconds >>> 24);
        dst[1] = (byte) (seconds >>> 16);
        dst[2] = (byte) (seconds >>> 8);
        dst[3] = (byte) seconds;
        System.arraycopy(d, 0, dst, Cookie.MAC_OFFSET, Cookie.MAC_LENGTH);
    }

    /** Whether {@code cookie} was minted by us for this client in the last {@link #VALIDITY_SECONDS}. */
    boolean valid(InetSocketAddress address, long clientId, long nowNs, ByteBuffer buf, int cookieIndex) {
        long issued = ((buf.get(cookieIndex) & 0xFFL) << 24) | ((buf.get(cookieIndex + 1) & 0xFFL) << 16)
                | ((buf.get(cookieIndex + 2) & 0xFFL) << 8) | (buf.get(cookieIndex + 3) & 0xFFL);
        long now = (nowNs / 1_000_000_000L) & 0xFFFF_FFFFL;
        long age = now - issued;
        if (age < 0 || age > VALIDITY_SECONDS) {
            return false;
        }
        byte[] d = digest(address, clientId, issued, 1);
        int diff = 0;
        for (int i = 0; i < Cookie.MAC_LENGTH; i++) {
            diff |= d[i] ^ buf.get(cookieIndex + Cookie.MAC_OFFSET + i);
        }
        return diff == 0;
    }

    /** The server connection ID for this client: stable for its address and client ID, never 0. */
    long connectionId(InetSocketAddress address, long clientId) {
        byte[] d = digest(idMac, address, clientId, 0, 2);
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = (id << 8) | (d[i] & 0xFF);
        }
        return id == 0 ? 1 : id;
    }
}
