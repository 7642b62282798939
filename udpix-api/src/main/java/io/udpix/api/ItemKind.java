package io.udpix.api;

import io.udpix.wire.TransferKind;

/** What an item is (the OPEN frame's kind, docs/PROTOCOL.md section 4.10); tells the receiver how to store it. */
public enum ItemKind {
    /** Opaque bytes. */
    BYTES(TransferKind.BYTES),
    /** An encoded image; the media type names the format. */
    IMAGE(TransferKind.IMAGE),
    /** A UTF-8 JSON document. */
    JSON(TransferKind.JSON),
    /** A file; the name is its file name. */
    FILE(TransferKind.FILE);

    private final int wireCode;

    ItemKind(int wireCode) {
        this.wireCode = wireCode;
    }

    /** The kind byte on the wire. */
    public int wireCode() {
        return wireCode;
    }

    /** The kind for a wire code; the engine only lets valid codes (0..3) through. */
    public static ItemKind fromWire(int code) {
        for (ItemKind kind : values()) {
            if (kind.wireCode == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transfer kind " + code + "; version 1 knows 0..3");
    }

    /** Lower-case name for messages ("image", "json"...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
