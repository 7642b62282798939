package io.udpix.engine.event;

import java.util.Arrays;

/**
 * What a transfer announces before its data: kind code (see {@code io.udpix.wire.TransferKind}), name, media
 * type, size and the SHA-256 of the content, or a null SHA-256 when the sender computes it while sending and
 * sends it after the data (a DIGEST frame; a large file then starts moving at once), and the OPEN's extensions
 * (metadata, request/reply, resume; {@link ItemExtensions#NONE} when it carried none).
 */
public record TransferInfo(int kind, String name, String mediaType, long sizeBytes, byte[] sha256,
                           ItemExtensions extensions) {
    /** Copies the hash so the record stays immutable; null extensions mean none. */
    public TransferInfo {
        sha256 = sha256 == null ? null : sha256.clone();
        extensions = extensions == null ? ItemExtensions.NONE : extensions;
    }

    /** An item without extensions. */
    public TransferInfo(int kind, String name, String mediaType, long sizeBytes, byte[] sha256) {
        this(kind, name, mediaType, sizeBytes, sha256, ItemExtensions.NONE);
    }

    @Override
    public byte[] sha256() {
        return sha256 == null ? null : sha256.clone();
    }

    /** Whether the SHA-256 follows the data instead of being known up front. */
    public boolean digestFollows() {
        return sha256 == null;
    }

    /** This info with {@code sha256} filled in. */
    public TransferInfo withSha256(byte[] sha256) {
        return new TransferInfo(kind, name, mediaType, sizeBytes, sha256, extensions);
    }

    /** This info with {@code value} as its extensions. */
    public TransferInfo withExtensions(ItemExtensions value) {
        return new TransferInfo(kind, name, mediaType, sizeBytes, sha256, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferInfo t && t.kind == kind && t.name.equals(name) && t.mediaType.equals(mediaType)
                && t.sizeBytes == sizeBytes && Arrays.equals(t.sha256, sha256) && t.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "TransferInfo[kind=" + kind + ", name=" + name + ", mediaType=" + mediaType + ", sizeBytes="
                + sizeBytes + ", digestFollows=" + digestFollows()
                + (extensions.isEmpty() ? "" : ", extensions=" + extensions) + "]";
    }
}
