package io.udpix.kafka.consume;

import java.util.Objects;

/**
 * One record of the topic that {@code udpix serve --kafka} feeds, read back (docs/KAFKA.md, "Record format"): the
 * item's headers, and its bytes or, for an item larger than the receiver's value limit, a reference to where the
 * receiver stored it.
 *
 * @param key              the stream key: the client-set name, else {@code <port>/<sender ip>:<sender port>}
 * @param name             the item's name as the sender gave it (never used as a path before {@code SafeNames})
 * @param kind             {@code file}, {@code image}, {@code json} or {@code frame}
 * @param sizeBytes        the item's size as the receiver verified it
 * @param sha256Hex        the item's SHA-256, lower-case hex, as the receiver verified it
 * @param sender           the sender, {@code ip:port}
 * @param port             the receiver's local port
 * @param receivedEpochMs  when the receiver had the item, epoch milliseconds
 * @param dedupKey         {@code <transfer id>:<sha256 hex>}: the same item published twice has the same one
 * @param reference        true when the value is a JSON reference ({@code udpix.ref=1}), not the item's bytes
 * @param stream           a frame's stream name; null for other kinds
 * @param frameNumber      a frame's number in its stream; -1 for other kinds
 * @param value            the record's value: the item's bytes, or the reference's JSON text
 * @param partition        the topic partition the record came from
 * @param offset           its offset there
 */
public record FleetRecord(String key, String name, String kind, long sizeBytes, String sha256Hex, String sender,
        int port, long receivedEpochMs, String dedupKey, boolean reference, String stream, long frameNumber,
        byte[] value, int partition, long offset) {

    /** Kinds the record format names. */
    public static final java.util.Set<String> KINDS = java.util.Set.of("file", "image", "json", "frame");

    /** Checks the fields that every record has. */
    public FleetRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(dedupKey, "dedupKey");
        Objects.requireNonNull(value, "value");
    }

    /** True for the kinds the viewer can show (images and frames). */
    public boolean showable() {
        return !reference && (kind.equals("image") || kind.equals("frame"));
    }

    @Override
    public String toString() {
        return kind + " '" + name + "' (" + sizeBytes + " bytes, key " + key + ", partition " + partition
                + " offset " + offset + ")";
    }
}
