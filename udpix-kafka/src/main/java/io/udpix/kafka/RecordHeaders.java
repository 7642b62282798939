package io.udpix.kafka;

/**
 * The record format every udpix publisher and consumer codes against (docs/KAFKA.md): header names, all values
 * UTF-8 strings. Renaming one breaks every consumer of existing topics: add, never rename.
 */
public final class RecordHeaders {
    /** The sender's name for the item (stream-key prefix removed). */
    public static final String NAME = "udpix.name";
    /** {@code file}, {@code image}, {@code json} or {@code frame}. */
    public static final String KIND = "udpix.kind";
    /** The item's size in bytes, decimal (of the item, also when the value is a reference). */
    public static final String SIZE = "udpix.size";
    /** The item's SHA-256, lowercase hex. */
    public static final String SHA256 = "udpix.sha256";
    /** The sender, {@code ip:port}. */
    public static final String SENDER = "udpix.sender";
    /** The receiver's port, decimal. */
    public static final String PORT = "udpix.port";
    /** When the receiver verified the item, epoch milliseconds, decimal. */
    public static final String RECEIVED = "udpix.received";
    /** {@code <transfer id>:<sha256 hex>}: one transfer, one key (at-least-once: consumers drop repeats). */
    public static final String DEDUP = "udpix.dedup";
    /** {@code 1} when the value is a JSON reference to a file stored under the receiver's output directory. */
    public static final String REF = "udpix.ref";
    /** Frames: the stream, {@code HOST:PORT#ID} on the receiver. */
    public static final String STREAM = "udpix.stream";
    /** Frames: the frame's number in its stream, decimal. */
    public static final String FRAME = "udpix.frame";
    /** Prefix of one header per metadata entry of the item: {@code udpix.meta.<key>} = value (UTF-8). */
    public static final String META_PREFIX = "udpix.meta.";
    /** The sender's media type (added beside the contract's headers). */
    public static final String MEDIA_TYPE = "udpix.media-type";

    private RecordHeaders() {
    }
}
