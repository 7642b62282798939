package io.udpix.cli.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.SplittableRandom;

/**
 * Makes {@link RawPeer}s for the protocol the product speaks: the one place that changes when the packet layer
 * does. Connection IDs come from the test's seeded random (they are not secrets to a test).
 */
final class RawPeers {

    private RawPeers() {
    }

    /** A peer on its own socket bound to {@code local} (port 0), towards {@code server}. */
    static RawPeer connect(InetSocketAddress server, InetAddress local, SplittableRandom random) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0));
            return new V2RawPeer(socket, true, server, random, null);
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot bind a test socket on " + local, e);
        }
    }

    /** A peer sharing {@code socket} with others (one socket, many connections); the caller closes the socket. */
    static RawPeer onSocket(DatagramSocket socket, InetSocketAddress server, SplittableRandom random) {
        return new V2RawPeer(socket, false, server, random, null);
    }

    /** A socket on {@code local}, port 0. */
    static DatagramSocket socket(InetAddress local) throws IOException {
        return new DatagramSocket(new InetSocketAddress(local, 0));
    }

    /** 127.0.0.1. */
    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /** 127.0.0.2: another local address on Linux, where all of 127/8 is the loopback interface. */
    static InetAddress otherLoopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
