package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** One JPEG implementation behind {@link JpegCodec}; not thread-safe (the codec serialises calls to it). */
interface JpegBackend extends AutoCloseable {

    /** {@code image} as a baseline JPEG (4:2:0, or grey for a grey image) at {@code quality} 1..100. */
    byte[] encode(BufferedImage image, int quality) throws IOException;

    /**
     * The first {@code length} bytes of {@code jpeg} decoded; into {@code reuse} when the backend can and it is a
     * TYPE_INT_RGB image of the same size, else into a new image.
     */
    BufferedImage decode(byte[] jpeg, int length, BufferedImage reuse) throws IOException;

    /** Frees native handles and buffers; the backend is unusable afterwards. */
    @Override
    void close();
}
