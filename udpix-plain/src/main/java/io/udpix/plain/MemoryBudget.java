package io.udpix.plain;

/**
 * Bytes of memory that all open items of one receiver may hold together, and that one sender address may hold
 * of it (its share); past either, items spill to files, so one address cannot push every other sender's items
 * out of memory.
 */
final class MemoryBudget {
    private final long limitBytes;
    private final long perAddressBytes;
    private long usedBytes;

    MemoryBudget(long limitBytes, long perAddressBytes) {
        this.limitBytes = limitBytes;
        this.perAddressBytes = perAddressBytes;
    }

    boolean tryReserve(SenderShares.Share share, long bytes) {
        if (bytes > limitBytes - usedBytes || bytes > perAddressBytes - share.memoryBytes) {
            return false;
        }
        usedBytes += bytes;
        share.memoryBytes += bytes;
        return true;
    }

    void release(SenderShares.Share share, long bytes) {
        usedBytes -= bytes;
        share.memoryBytes -= bytes;
    }

    long usedBytes() {
        return usedBytes;
    }
}
