package io.udpix.api;

import io.udpix.wire.ErrorCode;
import java.io.IOException;

/**
 * A send, a connection or a server start that failed; {@link #kind()} says what went wrong in a way a program can
 * act on (the CLI maps it to an exit code), the message says it in words with the fix where there is one.
 */
public class UdpixException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Coarse failure categories derived from the wire's error codes (docs/PROTOCOL.md section 4.11). */
    public enum Kind {
        /** The local address or port could not be bound. */
        CANNOT_BIND(3),
        /** The server could not be reached: no answer to the handshake, no common version, or it is busy. */
        UNREACHABLE(3),
        /**
         * The peer's key was refused: the server's key is not the one pinned or recorded for it
         * ({@code SERVER_KEY_REJECTED}), or the server does not admit this client's key or address
         * ({@code UNAUTHORIZED}); {@link #errorCode()} says which, the message says how to fix it.
         */
        AUTHENTICATION(4),
        /** The receiver declined the item (its application, a policy, or too many items at once). */
        REFUSED(1),
        /** The item is larger than the receiver accepts. */
        TOO_LARGE(1),
        /** The bytes that arrived did not match the SHA-256 the sender announced. */
        HASH_MISMATCH(1),
        /** Nothing was heard or acknowledged for too long; the peer is gone or the path is cut. */
        TIMED_OUT(1),
        /** The connection closed (by either side) before the item was confirmed. */
        CONNECTION_CLOSED(1),
        /** The transfer was cancelled. */
        CANCELLED(1),
        /** The item itself is unusable (unreadable file, image that cannot be encoded...). */
        INVALID_ITEM(1),
        /** Any other failure, including one the peer reported with a code this version does not know. */
        FAILED(1);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The udpix command's exit code for this failure: 1 transfer failed, 3 cannot bind or reach, 4 key refused. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;
    private final int errorCode;

    /** A failure of {@code kind}; {@code errorCode} is the wire code it came from, or -1 for a local failure. */
    public UdpixException(Kind kind, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.errorCode = errorCode;
    }

    /** A local failure of {@code kind} (no wire code). */
    public UdpixException(Kind kind, String message) {
        this(kind, -1, message, null);
    }

    /** The category. */
    public Kind kind() {
        return kind;
    }

    /** The wire error code ({@code io.udpix.wire.ErrorCode}) this came from, or -1 when it is local. */
    public int errorCode() {
        return errorCode;
    }

    /** The category of a wire error code; {@code beforeEstablished} turns connection failures into UNREACHABLE. */
    static Kind kindOf(int code, boolean beforeEstablished) {
        if (code == ErrorCode.SERVER_KEY_REJECTED || code == ErrorCode.UNAUTHORIZED) {
            return Kind.AUTHENTICATION; // Before or after: either way the fix is a key, not the network.
        }
        if (beforeEstablished) {
            return Kind.UNREACHABLE;
        }
        switch (code) {
            case ErrorCode.TOO_LARGE:
                return Kind.TOO_LARGE;
            case ErrorCode.REFUSED:
            case ErrorCode.TOO_MANY_TRANSFERS:
            case ErrorCode.SERVER_BUSY:
            case ErrorCode.SINK_FAILED:
            case ErrorCode.NO_SPACE:
            case ErrorCode.UNSUPPORTED_FEATURE:
                return Kind.REFUSED;
            case ErrorCode.HASH_MISMATCH:
                return Kind.HASH_MISMATCH;
            case ErrorCode.IDLE_TIMEOUT:
            case ErrorCode.TIMEOUT:
            case ErrorCode.STALLED:
                return Kind.TIMED_OUT;
            case ErrorCode.HANDSHAKE_TIMEOUT:
            case ErrorCode.UNSUPPORTED_VERSION:
                return Kind.UNREACHABLE;
            case ErrorCode.CLOSED:
            case ErrorCode.UNKNOWN_CONNECTION:
                return Kind.CONNECTION_CLOSED;
            case ErrorCode.CANCELLED:
                return Kind.CANCELLED;
            default:
                return Kind.FAILED;
        }
    }

    /** The caller's own copy (with the caller's stack) of a failure that happened on the I/O thread. */
    static UdpixException copyOnCallerThread(Throwable cause) {
        if (cause instanceof UdpixException u) {
            return new UdpixException(u.kind(), u.errorCode(), u.getMessage(), u);
        }
        if (cause instanceof java.util.concurrent.CancellationException) {
            return new UdpixException(UdpixException.Kind.CANCELLED, -1, "the send was cancelled", cause);
        }
        return new UdpixException(UdpixException.Kind.FAILED, -1, String.valueOf(cause), cause);
    }
}
