package io.udpix.engine;

import java.net.InetAddress;
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
    private final Map<InetAddress, Share> shares = new HashMap<>();

    /** Shares with the limits of {@code config}. */
    public PeerShares(EndpointConfig config) {
        this.maxConnections = config.maxConnectionsPerAddress;
        this.maxReassemblyBytes = config.maxReassemblyBytesPerAddress;
        this.maxIncomingTransfers = config.maxIncomingTransfersPerAddress;
    }

    /** Takes one accepted-connection slot for {@code address}; false when its share is used up. */
    public boolean tryAcquireConnection(InetAddress address) {
        Share s = shares.computeIfAbsent(address, a -> new Share());
        if (s.connections >= maxConnections) {
            forgetIfEmpty(address, s);
            return false;
        }
        s.connections++;
        return true;
    }

    /** Gives back a slot taken by {@link #tryAcquireConnection} (the connection was removed). */
    public void releaseConnection(InetAddress address) {
        Share s = shares.get(address);
        if (s != null) {
            s.connections = Math.max(0, s.connections - 1);
            forgetIfEmpty(address, s);
        }
    }

    /** Reserves {@code bytes} of reassembly memory for {@code address}; false when beyond its share. */
    public boolean tryReserveBytes(InetAddress address, long bytes) {
        Share s = shares.computeIfAbsent(address, a -> new Share());
        if (s.reassemblyBytes + bytes > maxReassemblyBytes) {
            forgetIfEmpty(address, s);
            return false;
        }
        s.reassemblyBytes += bytes;
        return true;
    }

    /** Gives back reassembly memory reserved by {@link #tryReserveBytes}. */
    public void releaseBytes(InetAddress address, long bytes) {
        Share s = shares.get(address);
        if (s != null) {
            s.reassemblyBytes = Math.max(0, s.reassemblyBytes - bytes);
            forgetIfEmpty(address, s);
        }
    }

    /** Counts one more incoming transfer from {@code address}; false when its share is used up. */
    public boolean tryOpenTransfer(InetAddress address) {
        Share s = shares.computeIfAbsent(address, a -> new Share());
        if (s.incomingTransfers >= maxIncomingTransfers) {
            forgetIfEmpty(address, s);
            return false;
        }
        s.incomingTransfers++;
        return true;
    }

    /** An incoming transfer counted by {@link #tryOpenTransfer} ended. */
    public void closeTransfer(InetAddress address) {
        Share s = shares.get(address);
        if (s != null) {
            s.incomingTransfers = Math.max(0, s.incomingTransfers - 1);
            forgetIfEmpty(address, s);
        }
    }

    /** Accepted connections {@code address} holds now. */
    public int connections(InetAddress address) {
        Share s = shares.get(address);
        return s == null ? 0 : s.connections;
    }

    /** Reassembly bytes {@code address} holds now. */
    public long reassemblyBytes(InetAddress address) {
        Share s = shares.get(address);
        return s == null ? 0 : s.reassemblyBytes;
    }

    /** Incoming transfers {@code address} has open now. */
    public int incomingTransfers(InetAddress address) {
        Share s = shares.get(address);
        return s == null ? 0 : s.incomingTransfers;
    }

    /** Addresses holding anything (bounded by the connection limit). */
    public int addressCount() {
        return shares.size();
    }

    private void forgetIfEmpty(InetAddress address, Share s) {
        if (s.empty()) {
            shares.remove(address);
        }
    }
}
