package io.udpix.api;

import java.util.Objects;

/**
 * What decoding an image found.
 *
 * @param width  width in pixels
 * @param height height in pixels
 * @param format the decoder's format name in lower case, e.g. {@code "png"}, {@code "jpeg"}, {@code "webp"}
 */
public record ImageInfo(int width, int height, String format) {

    /** Checks the fields. */
    public ImageInfo {
        Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + width + "x" + height);
        }
    }
}
