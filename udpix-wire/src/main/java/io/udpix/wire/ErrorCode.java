package io.udpix.wire;

/**
 * The u16 codes carried by RESULT, CANCEL, CLOSE and RESET. Receivers must accept values they do not know
 * ({@link #name} and {@link #describe} say "unknown" for them): later versions may add codes.
 */
public final class ErrorCode {

    /** The receiver verified the item: its SHA-256 matched. */
    public static final int OK = 0;
    /** A bug or unexpected failure inside the peer. */
    public static final int INTERNAL = 1;
    /** The peer sent something the protocol forbids. */
    public static final int PROTOCOL_VIOLATION = 2;
    /** The item is larger than the receiver accepts. */
    public static final int TOO_LARGE = 3;
    /** The receiver already has as many concurrent transfers as it allows. */
    public static final int TOO_MANY_TRANSFERS = 4;
    /** The bytes received do not hash to the SHA-256 the sender announced. */
    public static final int HASH_MISMATCH = 5;
    /** The receiver's application declined the item. */
    public static final int REFUSED = 6;
    /** The sender abandoned the transfer. */
    public static final int CANCELLED = 7;
    /** Nothing arrived for longer than the idle timeout. */
    public static final int IDLE_TIMEOUT = 8;
    /** The receiver does not know the connection id. */
    public static final int UNKNOWN_CONNECTION = 9;
    /** No protocol version in common. */
    public static final int UNSUPPORTED_VERSION = 10;
    /** The server takes no new connections right now. */
    public static final int SERVER_BUSY = 11;
    /** Data arrived beyond the credit the receiver gave. */
    public static final int FLOW_CONTROL_VIOLATION = 12;
    /** The receiver could not store or deliver the item. */
    public static final int SINK_FAILED = 13;
    /** The connection was closed normally. */
    public static final int CLOSED = 14;
    /** The sender would have had to reuse a packet number. */
    public static final int PACKET_NUMBERS_EXHAUSTED = 15;
    /** The handshake got no answer in time. */
    public static final int HANDSHAKE_TIMEOUT = 16;
    /** Gave up: no acknowledgement within the transfer timeout. */
    public static final int TIMEOUT = 17;
    /** The client refused the server's static key (not the pinned or known key for that address). */
    public static final int SERVER_KEY_REJECTED = 18;
    /** The server does not admit this client (its key or address is not on the server's allow list). */
    public static final int UNAUTHORIZED = 19;
    /** The handshake failed cryptographically (a tampered or corrupted handshake message). */
    public static final int HANDSHAKE_FAILED = 20;
    /** The receiver is out of space (disk, quota or a per-peer share); try again later or free space there. */
    public static final int NO_SPACE = 21;
    /** The transfer made no progress for the receiver's stall timeout and was abandoned. */
    public static final int STALLED = 22;
    /** The peer does not support a feature this use needs (e.g. frame streams): it runs an older udpix. */
    public static final int UNSUPPORTED_FEATURE = 23;

    /** Largest code this version defines. */
    public static final int MAX_KNOWN = UNSUPPORTED_FEATURE;

    private static final String[] NAMES = {
        "OK", "INTERNAL", "PROTOCOL_VIOLATION", "TOO_LARGE", "TOO_MANY_TRANSFERS", "HASH_MISMATCH", "REFUSED",
        "CANCELLED", "IDLE_TIMEOUT", "UNKNOWN_CONNECTION", "UNSUPPORTED_VERSION", "SERVER_BUSY",
        "FLOW_CONTROL_VIOLATION", "SINK_FAILED", "CLOSED", "PACKET_NUMBERS_EXHAUSTED", "HANDSHAKE_TIMEOUT", "TIMEOUT",
        "SERVER_KEY_REJECTED", "UNAUTHORIZED", "HANDSHAKE_FAILED", "NO_SPACE", "STALLED",
        "UNSUPPORTED_FEATURE",
    };

    private static final String[] DESCRIPTIONS = {
        "the receiver verified the item (SHA-256 matched)",
        "the peer failed internally (a bug); its log has details",
        "the peer sent something the protocol forbids (incompatible or broken implementation)",
        "the receiver refused the item (too large)",
        "the receiver refused the item (too many transfers at once)",
        "the received bytes did not match the sender's SHA-256, so the item was discarded",
        "the receiver refused the item",
        "the sender cancelled the transfer",
        "the connection went idle: nothing arrived within the idle timeout",
        "the peer does not know this connection (it restarted or already closed it)",
        "the peer does not speak this protocol version",
        "the server is busy and takes no new connections right now; try again later",
        "the sender sent more data than the receiver allowed (flow-control violation)",
        "the receiver could not store or deliver the item",
        "the connection was closed",
        "the connection used up its packet numbers and had to close",
        "the server did not answer the handshake in time (wrong address or port, or blocked by a firewall?)",
        "gave up: no acknowledgement arrived within the transfer timeout",
        "the server's key is not the one expected for this address (pinned or known); see the client's message",
        "the server does not admit this client (its key or address is not allowed there)",
        "the handshake failed its cryptographic check (tampered or corrupted)",
        "the receiver is out of space (disk, quota or this sender's share); free space or try again later",
        "the transfer made no progress for too long and the receiver abandoned it",
        "the peer does not support this feature (it runs an older udpix); upgrade it",
    };

    private ErrorCode() {
    }

    /** True for the codes this version defines (0..{@value #MAX_KNOWN}). */
    public static boolean known(int code) {
        return code >= 0 && code <= MAX_KNOWN;
    }

    /** The constant's name, or {@code UNKNOWN(0x..)} for any other value. */
    public static String name(int code) {
        return known(code) ? NAMES[code] : PacketType.unknown(code);
    }

    /** One sentence a user understands, e.g. "the receiver refused the item (too large)". */
    public static String describe(int code) {
        return known(code) ? DESCRIPTIONS[code] : "the peer reported error code " + code + ", unknown to this version";
    }
}
