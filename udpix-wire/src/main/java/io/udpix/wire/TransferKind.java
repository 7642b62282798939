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
            default:
                return PacketType.unknown(kind);
        }
    }

    /** True for the kinds version 1 defines (0..3); OPEN frames with any other kind are malformed. */
    public static boolean valid(int kind) {
        return kind >= BYTES && kind <= FILE;
    }
}
