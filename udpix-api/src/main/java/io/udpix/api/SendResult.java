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
 * @param rateBytesPerSecond {@code sizeBytes / elapsed}
 */
public record SendResult(String name, ItemKind kind, long sizeBytes, String sha256Hex, Duration elapsed,
        double rateBytesPerSecond) {

    /** A result with the SHA-256 the engine sent and the receiver confirmed, and the rate. */
    static SendResult of(Item item, byte[] sha256, long elapsedNs) {
        return new SendResult(item.name(), item.kind(), item.sizeBytes(), Sha256.hex(sha256),
                Duration.ofNanos(elapsedNs), Rates.bytesPerSecond(item.sizeBytes(), elapsedNs));
    }
}
