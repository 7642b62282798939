package io.udpix.plain;

/** Why a plain receiver refused a datagram or discarded an item (one counter each; see PlainCounters). */
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
    /**
     * The receiver's pending-bytes budget (or, for a large item, the part outside the small-item reserve), the
     * sender address's share of pending bytes or open items, or the completed-item queue was full.
     */
    BUSY,
    /** Writing the item to its spill file failed. */
    STORE_FAILED
}
