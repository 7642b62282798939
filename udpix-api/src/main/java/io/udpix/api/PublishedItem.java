package io.udpix.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A verified item as an {@link ItemPublisher} gets it: its content either in memory ({@code bytes}) or stored in
 * the output directory ({@code path}, and {@code storedName}, its path relative to that directory), never neither.
 *
 * @param kind       what the item is
 * @param name       the sender's name for it, without the stream-key prefix (not made safe: a consumer that
 *                   stores it applies its own safe-name rules)
 * @param mediaType  the sender's media type
 * @param sizeBytes  its size
 * @param sha256Hex  its SHA-256, lowercase hex, verified
 * @param sender     the sender's address
 * @param port       the server port it came in on
 * @param receivedAt when the server verified it
 * @param streamKey  the sender's stream key: the directory part of the sent name ({@code cam-7} for
 *                   {@code cam-7/photo.jpg}, see {@code udpix send --stream-key}), else {@code <port>/<ip>:<port>}
 * @param dedupKey   names this transfer: {@code <connection id, hex>-<transfer id>:<sha256 hex>}; one transfer is
 *                   published under one key however often the publisher retries (a sender's own retry is a new
 *                   transfer)
 * @param bytes      the content when it is in memory, else null
 * @param path       the stored file when the item went to the output directory, else null
 * @param storedName {@code path} relative to the output directory, else null
 * @param meta       the sender's metadata ({@code Item.withMeta}), in its order; empty when none
 */
public record PublishedItem(ItemKind kind, String name, String mediaType, long sizeBytes, String sha256Hex,
        InetSocketAddress sender, int port, Instant receivedAt, String streamKey, String dedupKey, byte[] bytes,
        Path path, String storedName, java.util.Map<String, String> meta) {

    /** Checks that the content is somewhere. */
    public PublishedItem {
        if (bytes == null && path == null) {
            throw new IllegalArgumentException("a published item needs its bytes or its stored path");
        }
        meta = meta == null ? java.util.Map.of() : meta;
    }

    /** Without metadata. */
    public PublishedItem(ItemKind kind, String name, String mediaType, long sizeBytes, String sha256Hex,
            InetSocketAddress sender, int port, Instant receivedAt, String streamKey, String dedupKey, byte[] bytes,
            Path path, String storedName) {
        this(kind, name, mediaType, sizeBytes, sha256Hex, sender, port, receivedAt, streamKey, dedupKey, bytes, path,
                storedName, java.util.Map.of());
    }

    /** The sender as {@code ip:port} ({@code [v6]:port}), no name lookup. */
    public String senderText() {
        return Addresses.text(sender);
    }

    /** The default stream key of a sender: {@code <port>/<sender ip>:<sender port>}. */
    public static String defaultStreamKey(int port, InetSocketAddress sender) {
        return port + "/" + Addresses.text(sender);
    }
}
