package io.udpix.api;

import java.time.Duration;

/**
 * An item the receiver confirmed: it got every byte and its SHA-256 matched.
 *
 * @param name       the item's name
 * @param kind       the item's kind
 * @param sizeBytes  bytes delivered
 * @param sha256Hex  the SHA-256 both sides agree on, lower-case hex
 * @param elapsed    from queueing the item to the receiver's confirmation
 * @param rateBytesPerSecond the bytes moved ({@link #movedBytes()}) / elapsed
 * @param resumedFromBytes where a resumed transfer started: the receiver already held the first bytes up to here
 *                         (from an interrupted transfer of the same content), so only the rest was sent; 0 when
 *                         every byte was sent
 */
public record SendResult(String name, ItemKind kind, long sizeBytes, String sha256Hex, Duration elapsed,
        double rateBytesPerSecond, long resumedFromBytes) {

    /** A result of a transfer that sent every byte. */
    public SendResult(String name, ItemKind kind, long sizeBytes, String sha256Hex, Duration elapsed,
            double rateBytesPerSecond) {
        this(name, kind, sizeBytes, sha256Hex, elapsed, rateBytesPerSecond, 0);
    }

    /** A result with the SHA-256 the engine sent and the receiver confirmed, and the rate. */
    static SendResult of(Item item, byte[] sha256, long elapsedNs) {
        return of(item, sha256, elapsedNs, 0);
    }

    /** As {@link #of(Item, byte[], long)} for a transfer that resumed at {@code resumedFromBytes}. */
    static SendResult of(Item item, byte[] sha256, long elapsedNs, long resumedFromBytes) {
        long moved = item.sizeBytes() - resumedFromBytes;
        return new SendResult(item.name(), item.kind(), item.sizeBytes(), Sha256.hex(sha256),
                Duration.ofNanos(elapsedNs), Rates.bytesPerSecond(moved, elapsedNs), resumedFromBytes);
    }

    /** Content bytes that were sent (the size less what the receiver already held). */
    public long movedBytes() {
        return sizeBytes - resumedFromBytes;
    }
}
