package io.udpix.kafka;

/** Kafka cannot be used as configured; the message names the cause and the fix. */
public final class KafkaStartException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with its cause and fix in {@code message}. */
    public KafkaStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
