package io.udpix.viewer;

import java.time.Instant;
import java.util.Objects;

/**
 * What the viewer prints under an image: who sent it, under which name, how many bytes, and when it arrived.
 *
 * @param sender      the sender as text, e.g. {@code "127.0.0.1:50123"}
 * @param name        the item's name as the sender gave it (shown, never used as a path)
 * @param lengthBytes the encoded size of the image as received, in bytes
 * @param arrivalTime when the last byte arrived
 */
public record ImageCaption(String sender, String name, long lengthBytes, Instant arrivalTime) {

    /** Checks the fields; an image of negative size is a caller bug. */
    public ImageCaption {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arrivalTime, "arrivalTime");
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("lengthBytes must be >= 0, was " + lengthBytes);
        }
    }
}
