package io.udpix.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * OPEN (type 0x10): a transfer's metadata, sent before any of its data. Ack-eliciting.
 *
 * <pre>
 *  0      1              5      6       7                15                       47
 *  +------+--------------+------+-------+----------------+------------------------+
 *  | 0x10 | transferId   | kind | flags | sizeBytes u64  | sha256 (32 bytes)      |
 *  |      | u32          | u8   | u8    | 0..2^63-1      | of the whole content   |
 *  +------+--------------+------+-------+----------------+------------------------+
 *  47                48                      48+M         49+M
 *  +-----------------+-----------------------+------------+---------------------+
 *  | mediaTypeLength | mediaType (M bytes)   | nameLength | name (N bytes)      |
 *  | u8 = M, 0..100  | printable US-ASCII    | u8 = N     | UTF-8, no controls  |
 *  +-----------------+-----------------------+------------+---------------------+
 *  49+M+N  (only with FLAG_EXTENSIONS)
 *  +-----------------------------------------------+
 *  | extension block: u16 length E + E bytes       |
 *  | ({@link OpenExtensions}, E &lt;= 640)            |
 *  +-----------------------------------------------+
 * </pre>
 *
 * <p>Kind is a {@link TransferKind} (0..3). Flags: bit 0 ({@link #FLAG_DIGEST_FOLLOWS}) says the sha256 field is
 * zero and a {@link DigestFrame} brings the hash once every byte was sent; bit 1 ({@link #FLAG_EXTENSIONS}) says an
 * extension block follows the name; receivers ignore other bits. The name must not contain U+0000-U+001F or U+007F.
 * Total length {@code 49 + M + N}, plus {@code 2 + E} with extensions.
 */
public final class OpenFrame {

    /** Flag bit: the SHA-256 comes later in a DIGEST frame (the sender hashes while it sends). */
    public static final int FLAG_DIGEST_FOLLOWS = 0x01;
    /**
     * Flag bit: an {@link OpenExtensions} block follows the name (metadata, request/reply, resume; sent only to a
     * peer that set FEATURES bit {@link CapabilityBlock#FEATURE_ITEM_EXTENSIONS}).
     */
    public static final int FLAG_EXTENSIONS = 0x02;
    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 transfer id. */
    public static final int TRANSFER_ID_OFFSET = 1;
    /** Offset of the u8 {@link TransferKind}. */
    public static final int KIND_OFFSET = 5;
    /** Offset of the u8 flags. */
    public static final int FLAGS_OFFSET = 6;
    /** Offset of the u64 content size in bytes. */
    public static final int SIZE_BYTES_OFFSET = 7;
    /** Offset of the 32-byte SHA-256 of the content. */
    public static final int SHA256_OFFSET = 15;
    /** Length of a SHA-256. */
    public static final int SHA256_LENGTH = 32;
    /** Offset of the u8 media type length. */
    public static final int MEDIA_TYPE_LENGTH_OFFSET = 47;
    /** Offset of the media type bytes; the name length byte follows them. */
    public static final int MEDIA_TYPE_OFFSET = 48;
    /** Longest media type in bytes. */
    public static final int MAX_MEDIA_TYPE_BYTES = 100;
    /** Longest name in bytes of UTF-8. */
    public static final int MAX_NAME_BYTES = 255;
    /** Length of an OPEN with empty media type and name. */
    public static final int MIN_LENGTH = MEDIA_TYPE_OFFSET + 1;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public OpenFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The buffer this flyweight points into. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Writes the type byte; returns this. */
    public OpenFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.OPEN);
        return this;
    }

    /** The transfer id, 0..2^32-1. */
    public long transferId() {
        return BigEndian.getU32(buffer, offset + TRANSFER_ID_OFFSET);
    }

    /** Sets the transfer id (0..2^32-1); returns this. */
    public OpenFrame transferId(long transferId) {
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + TRANSFER_ID_OFFSET, transferId);
        return this;
    }

    /** The {@link TransferKind}. */
    public int kind() {
        return BigEndian.getU8(buffer, offset + KIND_OFFSET);
    }

    /** Sets the kind (a valid {@link TransferKind}); returns this. */
    public OpenFrame kind(int kind) {
        requireKind(kind);
        BigEndian.putU8(buffer, offset + KIND_OFFSET, kind);
        return this;
    }

    /** The flags byte (0 in version 1; ignore unknown bits). */
    public int flags() {
        return BigEndian.getU8(buffer, offset + FLAGS_OFFSET);
    }

    /** Sets the flags (0..255); returns this. */
    public OpenFrame flags(int flags) {
        Bounds.requireRange("flags", flags, BigEndian.MAX_U8);
        BigEndian.putU8(buffer, offset + FLAGS_OFFSET, flags);
        return this;
    }

    /** The content size in bytes (0..2^63-1 in a well-formed frame). */
    public long sizeBytes() {
        return BigEndian.getI64(buffer, offset + SIZE_BYTES_OFFSET);
    }

    /** Sets the content size (0..2^63-1 bytes); returns this. */
    public OpenFrame sizeBytes(long sizeBytes) {
        Bounds.requireRange("sizeBytes", sizeBytes, Long.MAX_VALUE);
        BigEndian.putI64(buffer, offset + SIZE_BYTES_OFFSET, sizeBytes);
        return this;
    }

    /** Copies the 32-byte SHA-256 into {@code dst[0..32)}. */
    public void copySha256(byte[] dst) {
        buffer.get(offset + SHA256_OFFSET, dst, 0, SHA256_LENGTH);
    }

    /** Writes the 32-byte SHA-256 from {@code src[0..32)}; returns this. */
    public OpenFrame sha256(byte[] src) {
        requireSha256(src);
        buffer.put(offset + SHA256_OFFSET, src, 0, SHA256_LENGTH);
        return this;
    }

    /** Absolute buffer index of the SHA-256. */
    public int sha256Offset() {
        return offset + SHA256_OFFSET;
    }

    /** Media type length in bytes. */
    public int mediaTypeLength() {
        return BigEndian.getU8(buffer, offset + MEDIA_TYPE_LENGTH_OFFSET);
    }

    /** The media type, e.g. "image/png" (allocates). */
    public String mediaType() {
        return Utf8.decode(buffer, offset + MEDIA_TYPE_OFFSET, mediaTypeLength());
    }

    /** Name length in bytes of UTF-8. */
    public int nameLength() {
        return BigEndian.getU8(buffer, offset + MEDIA_TYPE_OFFSET + mediaTypeLength());
    }

    /** Absolute buffer index of the name bytes. */
    public int nameOffset() {
        return offset + MEDIA_TYPE_OFFSET + mediaTypeLength() + 1;
    }

    /** The name, e.g. a file name (allocates). */
    public String name() {
        return Utf8.decode(buffer, nameOffset(), nameLength());
    }

    /** Whether an extension block follows the name. */
    public boolean hasExtensions() {
        return (flags() & FLAG_EXTENSIONS) != 0;
    }

    /** Absolute buffer index of the extension block (its u16 length), valid when {@link #hasExtensions}. */
    public int extensionsOffset() {
        return nameOffset() + nameLength();
    }

    /** This frame's length, from its length fields. */
    public int length() {
        int base = MIN_LENGTH + mediaTypeLength() + nameLength();
        return hasExtensions() ? base + OpenExtensions.ENTRIES_OFFSET
                + BigEndian.getU16(buffer, extensionsOffset() + OpenExtensions.BLOCK_LENGTH_OFFSET) : base;
    }

    /**
     * Writes a whole OPEN at {@code offset}; returns the end offset. Throws IllegalArgumentException, writing
     * nothing, when an argument breaks a rule of {@link #check} or the frame does not fit below the buffer's limit.
     */
    public static int encode(ByteBuffer buf, int offset, long transferId, int kind, int flags, long sizeBytes,
                             byte[] sha256, String mediaType, String name) {
        return encode(buf, offset, transferId, kind, flags, sizeBytes, sha256, mediaType, name, null);
    }

    /**
     * As {@link #encode(ByteBuffer, int, long, int, int, long, byte[], String, String)} with an extension block
     * made by {@link OpenExtensions#encode} (null for none; only its length prefix is checked here): sets
     * {@link #FLAG_EXTENSIONS} exactly when one is given.
     */
    public static int encode(ByteBuffer buf, int offset, long transferId, int kind, int flags, long sizeBytes,
                             byte[] sha256, String mediaType, String name, byte[] extensions) {
        flags = extensions == null ? flags & ~FLAG_EXTENSIONS : flags | FLAG_EXTENSIONS;
        Bounds.requireRange("transferId", transferId, BigEndian.MAX_U32);
        requireKind(kind);
        Bounds.requireRange("flags", flags, BigEndian.MAX_U8);
        Bounds.requireRange("sizeBytes", sizeBytes, Long.MAX_VALUE);
        requireSha256(sha256);
        byte[] mediaTypeBytes = mediaTypeBytes(mediaType);
        byte[] nameBytes = Utf8.encodeStrict("name", name, MAX_NAME_BYTES);
        int extensionBytes = extensions == null ? 0 : extensions.length;
        // Only the length prefix is checked here (no allocation: an OPEN is written again with every retransmission);
        // the entries are valid by construction when OpenExtensions.encode made the block.
        int entryBytes = extensionBytes - OpenExtensions.ENTRIES_OFFSET;
        if (extensions != null && (entryBytes < 0 || entryBytes > OpenExtensions.MAX_BLOCK_BYTES
                || ((extensions[0] & 0xFF) << 8 | (extensions[1] & 0xFF)) != entryBytes)) {
            throw new IllegalArgumentException("extension block's length prefix does not match its "
                    + extensionBytes + " bytes; build it with OpenExtensions.encode");
        }
        int length = MIN_LENGTH + mediaTypeBytes.length + nameBytes.length + extensionBytes;
        Bounds.requireRoom(buf, offset, length, "OPEN frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.OPEN);
        BigEndian.putU32(buf, offset + TRANSFER_ID_OFFSET, transferId);
        BigEndian.putU8(buf, offset + KIND_OFFSET, kind);
        BigEndian.putU8(buf, offset + FLAGS_OFFSET, flags);
        BigEndian.putI64(buf, offset + SIZE_BYTES_OFFSET, sizeBytes);
        buf.put(offset + SHA256_OFFSET, sha256, 0, SHA256_LENGTH);
        BigEndian.putU8(buf, offset + MEDIA_TYPE_LENGTH_OFFSET, mediaTypeBytes.length);
        buf.put(offset + MEDIA_TYPE_OFFSET, mediaTypeBytes);
        int nameLengthIndex = offset + MEDIA_TYPE_OFFSET + mediaTypeBytes.length;
        BigEndian.putU8(buf, nameLengthIndex, nameBytes.length);
        buf.put(nameLengthIndex + 1, nameBytes);
        if (extensions != null) {
            buf.put(nameLengthIndex + 1 + nameBytes.length, extensions);
        }
        return offset + length;
    }

    /** Length {@link #encode} would write: {@code 49 + media type bytes + name bytes}; validates like encode. */
    public static int encodedLength(String mediaType, String name) {
        return MIN_LENGTH + mediaTypeBytes(mediaType).length + Utf8.encodeStrict("name", name, MAX_NAME_BYTES).length;
    }

    /** As {@link #encodedLength(String, String)} plus an extension block (null for none). */
    public static int encodedLength(String mediaType, String name, byte[] extensions) {
        return encodedLength(mediaType, name) + (extensions == null ? 0 : extensions.length);
    }

    /**
     * Validates an OPEN at {@code offset} ending at or before {@code limit}: type byte, kind 0..3, size 0..2^63-1,
     * media type at most 100 bytes of printable US-ASCII, name strict UTF-8 without control characters, both
     * inside; with {@link #FLAG_EXTENSIONS} an extension block {@link OpenExtensions#check} accepts. Other flag
     * bits are not judged. Returns the frame length or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, MIN_LENGTH)
                || BigEndian.getU8(buf, offset) != FrameType.OPEN
                || !TransferKind.valid(BigEndian.getU8(buf, offset + KIND_OFFSET))
                || BigEndian.getI64(buf, offset + SIZE_BYTES_OFFSET) < 0) {
            return -1;
        }
        int mediaTypeLength = BigEndian.getU8(buf, offset + MEDIA_TYPE_LENGTH_OFFSET);
        int nameLengthOffset = MEDIA_TYPE_OFFSET + mediaTypeLength;
        if (mediaTypeLength > MAX_MEDIA_TYPE_BYTES || !Bounds.fits(buf, offset, limit, nameLengthOffset + 1)) {
            return -1;
        }
        int nameLength = BigEndian.getU8(buf, offset + nameLengthOffset);
        int length = nameLengthOffset + 1 + nameLength;
        if (!Bounds.fits(buf, offset, limit, length)
                || !Utf8.isPrintableAscii(buf, offset + MEDIA_TYPE_OFFSET, mediaTypeLength)
                || !Utf8.isCleanText(buf, offset + nameLengthOffset + 1, nameLength)) {
            return -1;
        }
        if ((BigEndian.getU8(buf, offset + FLAGS_OFFSET) & FLAG_EXTENSIONS) == 0) {
            return length;
        }
        int block = OpenExtensions.check(buf, offset + length, limit);
        return block < 0 ? -1 : length + block;
    }

    private static byte[] mediaTypeBytes(String mediaType) {
        if (mediaType == null) {
            throw new IllegalArgumentException("mediaType is null; pass \"\" for none");
        }
        if (mediaType.length() > MAX_MEDIA_TYPE_BYTES) {
            throw new IllegalArgumentException("mediaType is " + mediaType.length() + " characters, more than "
                    + MAX_MEDIA_TYPE_BYTES + "; shorten it");
        }
        for (int i = 0; i < mediaType.length(); i++) {
            char c = mediaType.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("mediaType \"" + mediaType + "\" has a character outside printable"
                        + " US-ASCII at index " + i + "; use a plain type such as image/png");
            }
        }
        return mediaType.getBytes(StandardCharsets.US_ASCII);
    }

    private static void requireKind(int kind) {
        if (!TransferKind.valid(kind)) {
            throw new IllegalArgumentException("kind " + kind + " is not a TransferKind (0..3)");
        }
    }

    private static void requireSha256(byte[] sha256) {
        if (sha256 == null || sha256.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("sha256 must be " + SHA256_LENGTH + " bytes, got "
                    + (sha256 == null ? "null" : sha256.length + " bytes"));
        }
    }
}
