package io.udpix.engine.crypto;

/** A Noise handshake message failed: bad length, failed authentication, or a zero DH output. */
public final class NoiseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception saying {@code message}. */
    public NoiseException(String message) {
        super(message, null, false, false); // no stack trace: this is an expected, counted outcome of bad input
    }
}
