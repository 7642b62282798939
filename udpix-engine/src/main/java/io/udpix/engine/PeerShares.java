package io.udpix.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Each peer address's share of the endpoint's global budgets, so that one address can never take what every other
 * peer needs: accepted connections, reassembly bytes and incoming transfers (across all its connections).
 *
 * <p>Keyed by IP address, not by port: one host opening many sockets is still one peer. Not by anything finer
 * either: a NAT'd office shares one address, which is why the defaults give an address several connections
 * (see {@link EndpointConfig#maxConnectionsPerAddress}). An entry exists only while its address holds something,
 * so the map is bounded by the connection limit. Touched on handshakes, OPENs and transfer ends only, never per
 * datagram. Single-threaded, like the engine.
 */
public final class PeerShares {
    private static final class Share {
        int connections;
        long reassemblyBytes;
        int incomingTransfers;

        boolean empty() {
            return connections == 0 && reassemblyBytes == 0 && incomingTransfers == 0;
        }
    }

    private final int maxConnections;
    private final long maxReassemblyBytes;
    private final int maxIncomingTransfers;
    private final Map<Object, Share> shares = new HashMap<>();

    /** Shares with the limits of {@code config}. */
    public PeerShares(EndpointConfig config) {
        this.maxConnections = config.maxConnectionsPerAddress;
        this.maxReassemblyBytes = config.maxReassemblyBytesPerAddress;
        this.maxIncomingTransfers = config.maxIncomingTransfersPerAddress;
    }

    /** Takes one accepted-connection slot for {@code peer}'s address; false when its share is used up. */
    public boolean tryAcquireConnection(InetSocketAddress peer) {
        Share s = shares.computeIfAbsent(keyOf(peer), a -> new Share());
        if (s.connections >= maxConnections) {
            forgetIfEmpty(peer, s);
            return false;
        }
        s.connections++;
        return true;
    }

    /** Gives back a slot taken by {@link #tryAcquireConnection} (the connection was removed). */
    public void releaseConnection(InetSocketAddress peer) {
        Share s = shares.get(keyOf(peer));
        if (s != null) {
            s.connections = Math.max(0, s.connections - 1);
            forgetIfEmpty(peer, s);
        }
    }

    /** Reserves {@code bytes} of reassembly memory for {@code peer}'s address; false when beyond its share. */
    public boolean tryReserveBytes(InetSocketAddress peer, long bytes) {
        Share s = shares.computeIfAbsent(keyOf(peer), a -> new Share());
        if (s.reassemblyBytes + bytes > maxReassemblyBytes) {
            forgetIfEmpty(peer, s);
            return false;
        }
        s.reassemblyBytes += bytes;
        return true;
    }

    /** Gives back reassembly memory reserved by {@link #tryReserveBytes}. */
    public void releaseBytes(InetSocketAddress peer, long bytes) {
        Share s = shares.get(keyOf(peer));
        if (s != null) {
            s.reassemblyBytes = Math.max(0, s.reassemblyBytes - bytes);
            forgetIfEmpty(peer, s);
        }
    }

    /** Counts one more incoming transfer from {@code peer}'s address; false when its share is used up. */
    public boolean tryOpenTransfer(InetSocketAddress peer) {
        Share s = shares.computeIfAbsent(keyOf(peer), a -> new Share());
        if (s.incomingTransfers >= maxIncomingTransfers) {
            forgetIfEmpty(peer, s);
            return false;
        }
        s.incomingTransfers++;
        return true;
    }

    /** An incoming transfer counted by {@link #tryOpenTransfer} ended. */
    public void closeTransfer(InetSocketAddress peer) {
        Share s = shares.get(keyOf(peer));
        if (s != null) {
            s.incomingTransfers = Math.max(0, s.incomingTransfers - 1);
            forgetIfEmpty(peer, s);
        }
    }

    /** Accepted connections {@code peer}'s address holds now. */
    public int connections(InetSocketAddress peer) {
        Share s = shares.get(keyOf(peer));
        return s == null ? 0 : s.connections;
    }

    /** Reassembly bytes {@code peer}'s address holds now. */
    public long reassemblyBytes(InetSocketAddress peer) {
        Share s = shares.get(keyOf(peer));
        return s == null ? 0 : s.reassemblyBytes;
    }

    /** Incoming transfers {@code peer}'s address has open now. */
    public int incomingTransfers(InetSocketAddress peer) {
        Share s = shares.get(keyOf(peer));
        return s == null ? 0 : s.incomingTransfers;
    }

    /** Addresses holding anything (bounded by the connection limit). */
    public int addressCount() {
        return shares.size();
    }

    private void forgetIfEmpty(InetSocketAddress peer, Share s) {
        if (s.empty()) {
            shares.remove(keyOf(peer));
        }
    }

    /** The IP address (ports do not count); the host text for an unresolved address, as a simulator may use. */
    private static Object keyOf(InetSocketAddress peer) {
        InetAddress ip = peer.getAddress();
        return ip != null ? ip : peer.getHostString();
    }

    /** The address a refusal names. */
    public static String describe(InetSocketAddress peer) {
        InetAddress ip = peer.getAddress();
        return ip != null ? ip.getHostAddress() : peer.getHostString();
    }
}
