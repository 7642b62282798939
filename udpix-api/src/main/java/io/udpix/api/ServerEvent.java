package io.udpix.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a server reports about one incoming item: it started, made progress, completed (verified and stored) or
 * failed; and about a reply it sent back. Delivered on the server's callback thread, in order per item.
 *
 * @param type        what happened
 * @param kind        the item's kind
 * @param name        the name the sender gave
 * @param doneBytes   bytes received so far (all of them when completed)
 * @param sizeBytes   the item's declared size
 * @param sender      who sends it
 * @param port        the local port it arrives on
 * @param elapsed     since the item started
 * @param rateBytesPerSecond {@code doneBytes / elapsed}
 * @param savedPath   where it was saved (completed items written to the output directory), else null
 * @param image       size and format of a completed image that decoded, else null
 * @param message     the reason for FAILED, a warning for COMPLETED (e.g. an image that does not decode), else
 *                    null
 */
public record ServerEvent(Type type, ItemKind kind, String name, long doneBytes, long sizeBytes,
        InetSocketAddress sender, int port, Duration elapsed, double rateBytesPerSecond, Path savedPath,
        ImageInfo image, String message) {

    /** The kinds of event. */
    public enum Type {
        /**
         * The sender opened the item and the server accepted it. For an item of at most 64 KiB (most arrive within
         * a round trip) it is reported just before the item's COMPLETED or FAILED, or its first PROGRESS.
         */
        STARTED,
        /** More bytes arrived (throttled: at most every 100 ms per item). */
        PROGRESS,
        /** Every byte arrived, the SHA-256 matched and the item was stored. */
        COMPLETED,
        /** The item was refused or abandoned; {@link #message()} says why. Nothing of it is kept. */
        FAILED,
        /**
         * A reply went back to a sender that asked for one ({@code UdpixClient.request}): kind, name and size are
         * the reply's, {@link #sender()} the requester. {@link #message()} is null when the requester confirmed
         * it, {@code "error: <text>"} for a confirmed error reply, {@code "not delivered: <reason>"} otherwise.
         */
        REPLIED
    }
}
