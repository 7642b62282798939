package io.udpix.engine.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an OPEN's extension block says about an item (docs/PROTOCOL.md section 4.4a): string metadata, whether the
 * sender waits for a reply, which request it answers, whether it can resume at an offset the receiver names.
 *
 * @param meta         metadata in the sender's order, unmodifiable (never null)
 * @param replyWanted  the sender waits for a reply item on this connection
 * @param replyTo      the peer's transfer id this item answers, or -1
 * @param resumable    the sender starts at the offset a RESUME frame names
 */
public record ItemExtensions(Map<String, String> meta, boolean replyWanted, long replyTo, boolean resumable) {
    /** No extensions: an OPEN without a block. */
    public static final ItemExtensions NONE = new ItemExtensions(Map.of(), false, -1, false);

    /** Copies the metadata into an unmodifiable map that keeps its order. */
    public ItemExtensions {
        meta = meta == null || meta.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        if (replyTo < -1 || replyTo > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("replyTo must be -1 or a u32 transfer id, was " + replyTo);
        }
    }

    /** Whether there is nothing to put in an OPEN (no block is sent). */
    public boolean isEmpty() {
        return meta.isEmpty() && !replyWanted && replyTo < 0 && !resumable;
    }

    /** These extensions with {@code value} as the metadata. */
    public ItemExtensions withMeta(Map<String, String> value) {
        return new ItemExtensions(value, replyWanted, replyTo, resumable);
    }

    /** These extensions asking for a reply. */
    public ItemExtensions withReplyWanted() {
        return new ItemExtensions(meta, true, replyTo, resumable);
    }

    /** These extensions marking the item as the reply to the peer's transfer {@code transferId}. */
    public ItemExtensions withReplyTo(long transferId) {
        return new ItemExtensions(meta, replyWanted, transferId, resumable);
    }

    /** These extensions offering resume. */
    public ItemExtensions withResumable() {
        return new ItemExtensions(meta, replyWanted, replyTo, true);
    }
}
