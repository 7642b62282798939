package io.udpix.engine.connection;

/** Reassembly memory shared by every incoming transfer of an endpoint, so many transfers cannot exhaust the heap. */
public final class ReassemblyBudget {
    private final long maxBytes;
    private long usedBytes;

    /** A budget of {@code maxBytes}. */
    public ReassemblyBudget(long maxBytes) {
        this.maxBytes = maxBytes;
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
