package io.udpix.plain;

/** What a completed plain item is. */
public enum PlainItemKind {
    /** A whole image, from one datagram or from a length header and pieces. */
    IMAGE,
    /** A JSON object or array that arrived as one datagram: a message, not a file. */
    JSON,
    /** Anything else announced by a length header; see {@link PlainItem#extension()} for a guess. */
    BYTES
}
