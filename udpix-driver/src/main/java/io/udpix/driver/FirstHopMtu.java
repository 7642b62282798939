package io.udpix.driver;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.OptionalInt;

/**
 * The largest UDP payload the first hop carries without IP fragmentation: the MTU of the interface the kernel
 * routes through, minus the IP and UDP headers.
 *
 * <p>Why: Java 17 cannot set the don't-fragment bit on a UDP socket, so Linux fragments a datagram larger than the
 * interface MTU instead of refusing it. A 65,507-byte PMTU probe then crosses a 1500-byte link as 45 fragments and
 * usually arrives, PMTUD (RFC 8899) adopts the size, and every later datagram is lost whenever any of its 45
 * fragments is: at 2% packet loss that is 60% of datagrams. Capping the search at the first hop's MTU keeps
 * datagrams unfragmented on the link that matters most (Ethernet, veth, TUN, Wi-Fi); hops further on still rely
 * on the probes.
 */
public final class FirstHopMtu {
    private static final int IPV4_UDP_HEADER_BYTES = 28;
    private static final int IPV6_UDP_HEADER_BYTES = 48;
    private static final int MAX_UDP_PAYLOAD_BYTES = 65_507;

    private FirstHopMtu() {
    }

    /**
     * The first hop's payload limit towards {@code peer}: the kernel picks the route when a UDP socket is
     * connected (no datagram is sent), which names the local address and so the interface. Empty when unknown.
     */
    public static OptionalInt maxDatagramBytesTowards(InetSocketAddress peer) {
        if (peer.isUnresolved()) {
            return OptionalInt.empty();
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(peer);
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? OptionalInt.empty()
                    : maxDatagramBytesOn(local, peer.getAddress() instanceof Inet6Address);
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty(); // no route yet, or a platform that will not say: leave it to PMTUD
        }
    }

    /** The payload limit of the interface that owns {@code local}; empty for a wildcard or unknown address. */
    public static OptionalInt maxDatagramBytesOn(InetAddress local) {
        return maxDatagramBytesOn(local, local instanceof Inet6Address);
    }

    private static OptionalInt maxDatagramBytesOn(InetAddress local, boolean ipv6) {
        if (local.isAnyLocalAddress()) {
            return OptionalInt.empty();
        }
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(local);
            int mtu = nic == null ? -1 : nic.getMTU();
            return mtu <= 0 ? OptionalInt.empty() : OptionalInt.of(payloadBytes(mtu, ipv6));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** The UDP payload that fits an IP packet of {@code mtu} bytes, at most 65,507. */
    static int payloadBytes(int mtu, boolean ipv6) {
        return Math.max(0, Math.min(MAX_UDP_PAYLOAD_BYTES, mtu - (ipv6 ? IPV6_UDP_HEADER_BYTES : IPV4_UDP_HEADER_BYTES)));
    }
}
