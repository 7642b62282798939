package io.udpix.plain;

/** Bytes of memory that all open items of one receiver may hold together; past it, items spill to files. */
final class MemoryBudget {
    private final long limitBytes;
    private long usedBytes;

    MemoryBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    boolean tryReserve(long bytes) {
        if (bytes > limitBytes - usedBytes) {
            return false;
        }
        usedBytes += bytes;
        return true;
    }

    void release(long bytes) {
        usedBytes -= bytes;
    }

    long usedBytes() {
        return usedBytes;
    }
}
