package io.udpix.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Addresses as the CLI prints them: {@code 127.0.0.1:9000}, {@code [::1]:9000}, never a host name lookup. */
public final class AddressText {

    private AddressText() {
    }

    /** {@code IP:PORT}, with brackets around an IPv6 address. */
    public static String of(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip != null ? ip.getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
