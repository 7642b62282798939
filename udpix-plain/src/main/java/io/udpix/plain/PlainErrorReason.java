package io.udpix.plain;

/** Why a plain receiver answered a datagram with an error reply (one counter each). */
public enum PlainErrorReason {
    /** Not an image, not JSON, not a header, and nothing open from that sender. */
    GARBAGE,
    /** A header declared more than the configured maximum item size. */
    LENGTH_TOO_LARGE,
    /** A header declared zero or a negative length. */
    LENGTH_NOT_POSITIVE,
    /** A datagram went past the declared length; the partial item was discarded. */
    OVERRUN,
    /** The sender went silent mid-item past the timeout; the partial item was discarded. */
    SILENCE,
    /** Too many senders were mid-item; the least recently active one's partial item was discarded. */
    EVICTED,
    /** The receiver's pending-bytes limit or completed-item queue was full. */
    BUSY,
    /** Writing the item to its spill file failed. */
    STORE_FAILED
}
