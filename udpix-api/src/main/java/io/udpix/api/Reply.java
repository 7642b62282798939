package io.udpix.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What a server sends back to an item whose sender asked for a reply ({@link UdpixClient#request}): an ordinary
 * item, sent on the same connection and verified by SHA-256 like any other. {@link #error(String)} and
 * {@link #none()} go back as an empty item too: an error one carries the metadata {@code udpix.status=error} and
 * {@code udpix.error=<message>}, which makes the sender's request fail with the message.
 */
public final class Reply {
    /** Name of the empty item {@link #none()} and {@link #error(String)} send. */
    static final String EMPTY_NAME = "reply";
    /** Media type of {@link #text(String)}. */
    public static final String TEXT_MEDIA_TYPE = "text/plain; charset=utf-8";
    private static final Reply NONE = new Reply(null, null);

    private final Item item;
    private final String error;

    private Reply(Item item, String error) {
        this.item = item;
        this.error = error;
    }

    /**
     * The JSON document {@code jsonText} as a JSON item (checked strictly as {@link Item#jsonText} does).
     *
     * @throws IllegalArgumentException with what is wrong and where
     */
    public static Reply json(String jsonText) {
        return new Reply(Item.jsonText(jsonText), null);
    }

    /** {@code text} in UTF-8 as a BYTES item named {@code reply.txt}, media type {@value #TEXT_MEDIA_TYPE}. */
    public static Reply text(String text) {
        Objects.requireNonNull(text, "text");
        return new Reply(Item.raw(ItemKind.BYTES, "reply.txt", TEXT_MEDIA_TYPE,
                text.getBytes(StandardCharsets.UTF_8)), null);
    }

    /** {@code bytes} under {@code name}, as {@link Item#bytes(byte[], String)} makes them. */
    public static Reply bytes(byte[] bytes, String name) {
        return new Reply(Item.bytes(bytes, name), null);
    }

    /** Any item (a file, an image, with metadata...). */
    public static Reply item(Item item) {
        return new Reply(Objects.requireNonNull(item, "item"), null);
    }

    /** No content: the sender's request completes with an empty item. */
    public static Reply none() {
        return NONE;
    }

    /**
     * The request failed: the sender's future fails with {@code message} (cut to 255 UTF-8 bytes, control
     * characters replaced by spaces, as metadata values must be).
     */
    public static Reply error(String message) {
        return new Reply(null, ReplyText.metaValue(message == null ? "error" : message));
    }

    /** The item that goes back; empty for {@link #none()} and {@link #error(String)}. */
    public Optional<Item> content() {
        return Optional.ofNullable(item);
    }

    /** The error message, for {@link #error(String)}. */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(error);
    }

    /** The item to send: the content, or an empty item carrying the error status. */
    Item toItem() {
        if (item != null) {
            return item;
        }
        Item empty = Item.raw(ItemKind.BYTES, EMPTY_NAME, "", new byte[0]);
        if (error == null) {
            return empty;
        }
        return empty.withInternalMeta(ItemMeta.STATUS, ItemMeta.STATUS_ERROR).withInternalMeta(ItemMeta.ERROR, error);
    }

    @Override
    public String toString() {
        return error != null ? "error reply: " + error : item != null ? "reply " + item : "no reply";
    }
}
