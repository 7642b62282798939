package io.udpix.wire;

/** What a transfer carries (OPEN frame's kind byte); tells the receiver how to present it. */
public final class TransferKind {

    /** Opaque bytes. */
    public static final int BYTES = 0;
    /** An encoded image (the media type says which format). */
    public static final int IMAGE = 1;
    /** A JSON document (UTF-8). */
    public static final int JSON = 2;
    /** A file; the OPEN frame's name is its file name. */
    public static final int FILE = 3;
    /**
     * A frame stream: used only by STREAM_OPEN's world (docs/PROTOCOL.md section 4.10 and 4.12); an OPEN with this
     * kind is malformed, because a stream is opened with STREAM_OPEN, never with OPEN.
     */
    public static final int STREAM = 4;

    private TransferKind() {
    }

    /** The constant's name, or {@code UNKNOWN(0x..)} for any other value. */
    public static String name(int kind) {
        switch (kind) {
            case BYTES:
                return "BYTES";
            case IMAGE:
                return "IMAGE";
            case JSON:
                return "JSON";
            case FILE:
                return "FILE";
            case STREAM:
                return "STREAM";
            default:
                return PacketType.unknown(kind);
        }
    }

    /** True for the kinds an OPEN may carry (0..3); OPEN frames with any other kind, STREAM included, are malformed. */
    public static boolean valid(int kind) {
        return kind >= BYTES && kind <= FILE;
    }
}
