package io.udpix.plain;

import java.io.IOException;

/** A plain send that failed: no reply in time, the port refused it, or the receiver replied with an error. */
public final class PlainSendException extends IOException {
    private final String receiverReply;

    PlainSendException(String message, String receiverReply) {
        super(message);
        this.receiverReply = receiverReply;
    }

    /** The receiver's error reply (e.g. {@code error: declared length ... exceeds ...}), or null when none came. */
    public String receiverReply() {
        return receiverReply;
    }
}
