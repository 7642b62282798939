package io.udpix.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The dashboard's password: a request passes with {@code Authorization: Bearer T} (RFC 6750 section 2.1), a
 * {@code udpix_token} cookie, or {@code ?token=T} (which sets that cookie, HttpOnly and SameSite=Strict, so the
 * page's own requests carry it). Tokens are compared through their SHA-256 with
 * {@link MessageDigest#isEqual}: constant time, and no length leaks either.
 */
final class TokenCheck {
    /** The cookie the page's requests carry. */
    static final String COOKIE = "udpix_token";

    private final byte[] expectedDigest;

    private TokenCheck(String token) {
        this.expectedDigest = token == null ? null : digest(token);
    }

    /** A check of {@code token}; null lets every request through (loopback only: {@link HttpDashboard} sees to it). */
    static TokenCheck of(String token) {
        return new TokenCheck(token);
    }

    /** Whether a token is needed at all. */
    boolean required() {
        return expectedDigest != null;
    }

    /**
     * Whether {@code exchange} carries the token; when it came as {@code ?token=}, the cookie is set on the
     * response.
     */
    boolean allows(HttpExchange exchange) {
        if (expectedDigest == null) {
            return true;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(authorization.substring(7).strip())) {
            return true;
        }
        String query = queryToken(exchange.getRequestURI().getRawQuery());
        if (query != null && matches(query)) {
            exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + query
                    + "; Path=/; HttpOnly; SameSite=Strict");
            return true;
        }
        List<String> cookies = exchange.getRequestHeaders().get("Cookie");
        if (cookies != null) {
            for (String header : cookies) {
                for (String part : header.split(";")) {
                    String c = part.strip();
                    if (c.startsWith(COOKIE + "=") && matches(c.substring(COOKIE.length() + 1))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The 401 body: what to do. */
    static String howTo() {
        return "this dashboard needs its token: open the URL `udpix serve` printed (it ends in ?token=...), or "
                + "send the header 'Authorization: Bearer TOKEN'";
    }

    private boolean matches(String candidate) {
        return MessageDigest.isEqual(expectedDigest, digest(candidate));
    }

    private static String queryToken(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null; // a malformed escape is simply not the token
                }
            }
        }
        return null;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
