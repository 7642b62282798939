package io.udpix.engine;

/** Why a datagram (or a frame in it) was dropped; each reason has a counter in {@link EndpointStats}. */
public enum DropReason {
    /** Too short, bad magic, or a field out of range. */
    MALFORMED,
    /** The CRC32C of a handshake packet failed: corrupted on the way. */
    BAD_CHECKSUM,
    /** Our magic but a version we do not speak (answered with VERSION). */
    UNSUPPORTED_VERSION,
    /** A packet type this endpoint does not expect in its state. */
    UNEXPECTED_TYPE,
    /** DATA for a connection ID we do not have. */
    UNKNOWN_CONNECTION,
    /** A HELLO below the minimum size (anti-amplification, RFC 9000 section 8.1). */
    HELLO_TOO_SMALL,
    /** A HELLO whose cookie was forged, for another address, or expired. */
    BAD_COOKIE,
    /** HELLO while this endpoint accepts no connections. */
    NOT_ACCEPTING,
    /** The connection limit was reached. */
    CONNECTION_LIMIT,
    /** A HELLO from an address that already holds its share of connections (maxConnectionsPerAddress). */
    PEER_CONNECTION_SHARE,
    /** An OPEN from an address that already has its share of incoming transfers (maxIncomingTransfersPerAddress). */
    PEER_TRANSFER_SHARE,
    /** An OPEN from an address that already holds its share of reassembly memory (maxReassemblyBytesPerAddress). */
    PEER_REASSEMBLY_SHARE,
    /** An OPEN beyond the incoming transfer limit. */
    TRANSFER_LIMIT,
    /** An OPEN declaring more than the item size limit. */
    ITEM_TOO_LARGE,
    /** Reassembly memory for all transfers was used up. */
    REASSEMBLY_LIMIT,
    /** Data beyond the flow-control credit we granted. */
    FLOW_CONTROL,
    /** A packet that arrived a second time. */
    DUPLICATE,
    /** Data for a transfer whose OPEN has not arrived yet (the packet is left unacknowledged so it is resent). */
    EARLY_DATA,
    /** A stateless reply (RETRY, VERSION, RESET) not sent because the reply queue was full. */
    REPLY_QUEUE_FULL,
    /** A stateless reply not sent because it would pass 3x the bytes received (RFC 9000 section 8). */
    AMPLIFICATION_LIMIT,
    /** A packet from an address other than the connection's peer. */
    WRONG_PEER,
    /** A HELLO from an address the server's address filter refuses (answered with RESET UNAUTHORIZED). */
    ADDRESS_REFUSED,
    /** A DATA packet whose AEAD tag did not verify: forged, corrupted, or for other keys. */
    AUTHENTICATION_FAILED,
    /** An authenticated DATA packet whose number was seen already or is older than the replay window. */
    REPLAY,
    /** A handshake message (HELLO, ACCEPT, FINISH) whose Noise message failed or whose capabilities were refused. */
    HANDSHAKE_FAILED,
    /**
     * DATA for a connection whose handshake has not finished (no FINISH yet) beyond what the server keeps for it
     * until FINISH (40 datagrams per handshake, 256 KiB per address, 4 MiB in all), or kept but never read because
     * the handshake expired or was refused: not acknowledged, resent later.
     */
    BEFORE_FINISH,
    /** A RESET without the reset token of the connection it names (forged or stale). */
    BAD_RESET_TOKEN,
    /** No reply sent because it would be larger than the datagram it answers (RESET to a small packet). */
    REPLY_TOO_LARGE,
    /** A STREAM_OPEN beyond the incoming streams one connection may have (maxStreamsPerConnection). */
    STREAM_LIMIT,
    /** A FRAGMENT or PARITY of a frame longer than maxFrameBytes (the frame ends lost). */
    STREAM_FRAME_TOO_LARGE,
    /** A FRAGMENT, PARITY or ABANDON for a stream never opened or already ended (still acknowledged). */
    UNKNOWN_STREAM,
    /** An OPEN whose extension block holds a must-understand entry this build does not know (RESULT sent). */
    UNSUPPORTED_EXTENSION
}
