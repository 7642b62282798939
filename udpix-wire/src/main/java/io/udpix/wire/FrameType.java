package io.udpix.wire;

/** Values of a frame's first byte inside a DATA packet, see docs/PROTOCOL.md section 4. */
public final class FrameType {

    /** One byte of padding; receivers treat every 0x00 byte as its own 1-byte frame. */
    public static final int PADDING = 0x00;
    /** Ack-eliciting, no content: keep-alive and path MTU probes. */
    public static final int PING = 0x01;
    /** Acknowledges ranges of packet numbers (RFC 9000 section 19.3 semantics). */
    public static final int ACK = 0x02;
    /** A transfer's metadata, sent before any of its data. */
    public static final int OPEN = 0x10;
    /** A run of a transfer's content bytes at an offset. */
    public static final int CHUNK = 0x11;
    /** Flow-control credit for one transfer. */
    public static final int WINDOW = 0x12;
    /** The receiver's verdict on a transfer. */
    public static final int RESULT = 0x13;
    /** The sender abandons a transfer. */
    public static final int CANCEL = 0x14;
    /** The SHA-256 of a transfer whose OPEN said it follows the data. */
    public static final int DIGEST = 0x15;
    /** Closes the connection. */
    public static final int CLOSE = 0x1C;

    private FrameType() {
    }

    /** The constant's name, or {@code UNKNOWN(0x..)} for any other value. */
    public static String name(int type) {
        switch (type) {
            case PADDING:
                return "PADDING";
            case PING:
                return "PING";
            case ACK:
                return "ACK";
            case OPEN:
                return "OPEN";
            case CHUNK:
                return "CHUNK";
            case WINDOW:
                return "WINDOW";
            case RESULT:
                return "RESULT";
            case CANCEL:
                return "CANCEL";
            case DIGEST:
                return "DIGEST";
            case CLOSE:
                return "CLOSE";
            default:
                return PacketType.unknown(type);
        }
    }

    /**
     * Length of the frame of {@code type} at {@code offset} as its own {@code check} gives it (the one table from frame
     * type to codec), or -1 for a malformed frame or an unknown type. Never throws.
     */
    public static int check(int type, java.nio.ByteBuffer buf, int offset, int limit) {
        return switch (type) {
            case PADDING -> PaddingFrame.check(buf, offset, limit);
            case PING -> PingFrame.check(buf, offset, limit);
            case ACK -> AckFrame.check(buf, offset, limit);
            case OPEN -> OpenFrame.check(buf, offset, limit);
            case CHUNK -> ChunkFrame.check(buf, offset, limit);
            case WINDOW -> WindowFrame.check(buf, offset, limit);
            case RESULT -> ResultFrame.check(buf, offset, limit);
            case CANCEL -> CancelFrame.check(buf, offset, limit);
            case DIGEST -> DigestFrame.check(buf, offset, limit);
            case CLOSE -> CloseFrame.check(buf, offset, limit);
            default -> -1;
        };
    }

    /**
     * True when a packet holding this frame must be acknowledged: every known frame except ACK and PADDING
     * (RFC 9002 section 2, "ack-eliciting"); false for unknown types.
     */
    public static boolean isAckEliciting(int type) {
        switch (type) {
            case PING:
            case OPEN:
            case CHUNK:
            case WINDOW:
            case RESULT:
            case CANCEL:
            case DIGEST:
            case CLOSE:
                return true;
            default:
                return false;
        }
    }
}
