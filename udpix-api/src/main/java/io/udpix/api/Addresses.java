package io.udpix.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Address and duration text for messages, without name lookups. */
final class Addresses {
    private Addresses() {
    }

    /** {@code IP:PORT}, with brackets for IPv6 ({@code [::1]:9000}). */
    static String text(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip != null ? ip.getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The loopback or wildcard address of {@code server}'s family: where a client socket for it binds. */
    static InetSocketAddress clientBindFor(InetSocketAddress server) {
        InetAddress ip = server.getAddress();
        boolean v6 = ip instanceof Inet6Address;
        String host;
        if (ip.isLoopbackAddress()) {
            host = v6 ? "::1" : "127.0.0.1";
        } else {
            host = v6 ? "::" : "0.0.0.0";
        }
        return new InetSocketAddress(host, 0);
    }

    /** "10 s", "1.5 s" or "300 ms". */
    static String duration(long ns) {
        if (ns >= 1_000_000_000L && ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + " s";
        }
        if (ns >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
        }
        return Math.max(1, ns / 1_000_000L) + " ms";
    }
}
