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
    /** The receiver of a resumable transfer names the offset the sender starts at (section 4.8b). */
    public static final int RESUME = 0x16;
    /** Closes the connection. */
    public static final int CLOSE = 0x1C;
    /** Opens a frame stream (section 4.12). */
    public static final int STREAM_OPEN = 0x20;
    /** One piece of one frame of a stream (section 4.13). */
    public static final int FRAGMENT = 0x21;
    /** XOR parity over one column of a frame's fragments (section 4.14). */
    public static final int PARITY = 0x22;
    /** The sender sends nothing more for a stream's frames up to a number (section 4.15). */
    public static final int ABANDON = 0x23;
    /** Ends a frame stream, from either side (section 4.16). */
    public static final int STREAM_CLOSE = 0x24;

    private FrameType() {
    }

    /** True for the frame-stream types (0x20..0x24), which only a peer that advertised STREAMS may receive. */
    public static boolean isStreamFrame(int type) {
        return type >= STREAM_OPEN && type <= STREAM_CLOSE;
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
            case RESUME:
                return "RESUME";
            case CLOSE:
                return "CLOSE";
            case STREAM_OPEN:
                return "STREAM_OPEN";
            case FRAGMENT:
                return "FRAGMENT";
            case PARITY:
                return "PARITY";
            case ABANDON:
                return "ABANDON";
            case STREAM_CLOSE:
                return "STREAM_CLOSE";
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
            case RESUME -> ResumeFrame.check(buf, offset, limit);
            case CLOSE -> CloseFrame.check(buf, offset, limit);
            case STREAM_OPEN -> StreamOpenFrame.check(buf, offset, limit);
            case FRAGMENT -> FragmentFrame.check(buf, offset, limit);
            case PARITY -> ParityFrame.check(buf, offset, limit);
            case ABANDON -> AbandonFrame.check(buf, offset, limit);
            case STREAM_CLOSE -> StreamCloseFrame.check(buf, offset, limit);
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
            case RESUME:
            case CLOSE:
            case STREAM_OPEN:
            case FRAGMENT:
            case PARITY:
            case ABANDON:
            case STREAM_CLOSE:
                return true;
            default:
                return false;
        }
    }
}
