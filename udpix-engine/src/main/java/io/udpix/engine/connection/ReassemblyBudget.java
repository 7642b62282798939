package io.udpix.engine.connection;

import io.udpix.engine.PeerShares;

/**
 * Reassembly memory shared by every incoming transfer of an endpoint, so many transfers cannot exhaust the heap;
 * it carries the endpoint's {@link PeerShares} so that connections reach each address's share of it (and of the
 * transfer count) without another constructor argument.
 */
public final class ReassemblyBudget {
    private final long maxBytes;
    private final PeerShares shares;
    private long usedBytes;

    /** A budget of {@code maxBytes}, divided per address by {@code shares}. */
    public ReassemblyBudget(long maxBytes, PeerShares shares) {
        this.maxBytes = maxBytes;
        this.shares = shares;
    }

    /** Each peer address's share of this budget and of the other global limits. */
    public PeerShares shares() {
        return shares;
    }

    /** Reserves {@code bytes} if they fit. */
    boolean tryReserve(long bytes) {
        if (usedBytes + bytes > maxBytes) {
            return false;
        }
        usedBytes += bytes;
        return true;
    }

    void release(long bytes) {
        usedBytes = Math.max(0, usedBytes - bytes);
    }

    /** Bytes reserved now. */
    public long usedBytes() {
        return usedBytes;
    }

    /** The limit. */
    public long maxBytes() {
        return maxBytes;
    }
}
