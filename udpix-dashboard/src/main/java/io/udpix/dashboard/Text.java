package io.udpix.dashboard;

import java.net.InetSocketAddress;

/** Address texts as the rest of udpix writes them. */
final class Text {
    private Text() {
    }

    /** {@code HOST:PORT}, with brackets around an IPv6 host. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
