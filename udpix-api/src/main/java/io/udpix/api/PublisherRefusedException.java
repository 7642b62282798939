package io.udpix.api;

/**
 * An {@link ItemPublisher} cannot take an announced item: the message says why and what to do; {@link #tryLater()}
 * tells a full publisher (the sender gets {@code SERVER_BUSY} and may retry) from an item it never takes (the
 * sender gets {@code TOO_LARGE}).
 */
public final class PublisherRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean tryLater;

    /** A refusal with its reason; {@code tryLater} when the same item may be taken later. */
    public PublisherRefusedException(String message, boolean tryLater) {
        super(message);
        this.tryLater = tryLater;
    }

    /** Whether the same item may be taken later (the publisher is full, not the item wrong). */
    public boolean tryLater() {
        return tryLater;
    }
}
