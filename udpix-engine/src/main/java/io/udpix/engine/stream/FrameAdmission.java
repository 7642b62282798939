package io.udpix.engine.stream;

/** What {@code Endpoint.sendFrame} did with a frame; it never waits for the network. */
public enum FrameAdmission {
    /** Queued for sending. */
    QUEUED,
    /** Queued, and an older frame that had not started to go was dropped at the source (latest wins). */
    REPLACED_OLDER,
    /** Not taken: the stream or connection is closed or unknown, or the frame is larger than the peer takes. */
    REFUSED
}
