package io.udpix.cli.convert;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A {@code HOST:PORT} from the command line, not yet resolved: parsing never does a DNS lookup, so a bad name
 * is reported as "cannot reach" (exit code 3) when used, not as bad usage.
 *
 * @param host a host name, an IPv4 address, or an IPv6 address without brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {

    /** Checks the fields. */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }

    /** Resolves the host (a DNS lookup for names). */
    public InetSocketAddress resolve() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** {@code host:port}, or {@code [v6]:port}. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
