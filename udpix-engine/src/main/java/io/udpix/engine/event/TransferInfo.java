package io.udpix.engine.event;

import java.util.Arrays;

/**
 * What a transfer announces before its data: kind code (see {@code io.udpix.wire.TransferKind}), name, media
 * type, size and the SHA-256 of the content.
 */
public record TransferInfo(int kind, String name, String mediaType, long sizeBytes, byte[] sha256) {
    /** Copies the hash so the record stays immutable. */
    public TransferInfo {
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferInfo t && t.kind == kind && t.name.equals(name) && t.mediaType.equals(mediaType)
                && t.sizeBytes == sizeBytes && Arrays.equals(t.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256) * 31 + name.hashCode();
    }
}
