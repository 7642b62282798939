package io.udpix.kafka.consume;

/** A topic record that does not follow the record format of docs/KAFKA.md; the message names what is wrong. */
public final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}, which names the header and the record's partition and offset. */
    public MalformedRecordException(String message) {
        super(message);
    }
}
