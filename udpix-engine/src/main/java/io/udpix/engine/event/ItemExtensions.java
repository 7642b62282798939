package io.udpix.engine.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * STAND-IN (s15-reply) for the lead's record of the same name from the wire commit; replaced on merge. What an
 * OPEN's extension block says about an item (docs/PROTOCOL.md section 5.5).
 */
public record ItemExtensions(Map<String, String> meta, boolean replyWanted, long replyTo, boolean resumable) {
    /** No extensions. */
    public static final ItemExtensions NONE = new ItemExtensions(Map.of(), false, -1, false);

    /** Copies the metadata, keeping its order. */
    public ItemExtensions {
        meta = meta == null || meta.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
    }

    /** Whether nothing is set. */
    public boolean isEmpty() {
        return meta.isEmpty() && !replyWanted && replyTo < 0 && !resumable;
    }

    /** With this metadata. */
    public ItemExtensions withMeta(Map<String, String> value) {
        return new ItemExtensions(value, replyWanted, replyTo, resumable);
    }

    /** Asking for a reply. */
    public ItemExtensions withReplyWanted() {
        return new ItemExtensions(meta, true, replyTo, resumable);
    }

    /** The reply to the peer's transfer {@code transferId}. */
    public ItemExtensions withReplyTo(long transferId) {
        return new ItemExtensions(meta, replyWanted, transferId, resumable);
    }

    /** Resumable. */
    public ItemExtensions withResumable() {
        return new ItemExtensions(meta, replyWanted, replyTo, true);
    }
}
