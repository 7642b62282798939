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

    /**
     * The key of stream {@code streamId} of a connection whose peer the counters registry names {@code peer}
     * ({@code HOST:PORT}, IPv6 without brackets), as {@code Frame.streamKey()} writes it.
     */
    static String streamKey(String peer, int streamId) {
        int colon = peer.lastIndexOf(':');
        String host = colon < 0 ? peer : peer.substring(0, colon);
        String port = colon < 0 ? "0" : peer.substring(colon + 1);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + port + "#" + streamId;
    }
}
