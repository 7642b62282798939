package io.udpix.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Without a token the dashboard is open to anything on this machine, including a web page in a local browser that
 * points a host name of its own at 127.0.0.1 (DNS rebinding). Such a request names that host in its
 * {@code Host} header, so a token-less dashboard answers only requests naming a loopback address or
 * {@code localhost} (RFC 9110 section 7.2).
 */
final class HostCheck {
    private static final Pattern LOOPBACK = Pattern.compile(
            "(localhost|127(\\.\\d{1,3}){3}|\\[::1\\]|\\[0*:(0*:){0,6}0*1\\])(:\\d{1,5})?");

    private HostCheck() {
    }

    /** Whether the request's Host header names this machine's loopback (a request without one passes). */
    static boolean loopback(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host == null || LOOPBACK.matcher(host.strip().toLowerCase(Locale.ROOT)).matches();
    }

    /** The 403 body. */
    static String refusal(String host) {
        return "this dashboard has no token, so it answers only to 127.0.0.1 or localhost, not '" + host + "' (a "
                + "page that renamed this machine would look like this); open http://127.0.0.1:PORT/, or start "
                + "serve with --http-token";
    }
}
