package io.udpix.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The extension block an OPEN carries when it sets {@link OpenFrame#FLAG_EXTENSIONS} (docs/PROTOCOL.md section
 * 4.4a): string metadata, request/reply links and the resume offer, negotiated by FEATURES bit
 * {@link CapabilityBlock#FEATURE_ITEM_EXTENSIONS}.
 *
 * <pre>
 *  0                 2
 *  +-----------------+--------------------------------------------------+
 *  | blockLength u16 | entries, back to back (blockLength bytes)        |
 *  | = E, 0..640     |                                                  |
 *  +-----------------+--------------------------------------------------+
 *  one entry:
 *  0           1            3
 *  +-----------+------------+---------------------------+
 *  | type u8   | length u16 | value (length bytes)      |
 *  +-----------+------------+---------------------------+
 *  META value:
 *  0              1                1+K
 *  +--------------+----------------+-----------------------------------+
 *  | keyLength u8 | key (K bytes,  | value (length-1-K bytes, 0..255,  |
 *  | = K, 1..32   | [a-z0-9._-])   | strict UTF-8, no controls)        |
 *  +--------------+----------------+-----------------------------------+
 * </pre>
 *
 * <p>At most {@link #MAX_ENTRIES} entries, a META key at most once, nothing past the block (checked). Types 0x80 and
 * above are "must understand": {@link #firstUnknownMustUnderstand} finds them so a receiver can refuse the
 * transfer; unknown types below 0x80 are skipped.
 */
public final class OpenExtensions {

    /** META: one string key and value. */
    public static final int META = 0x01;
    /** REPLY_WANTED (empty): the sender waits for a reply item on this connection. */
    public static final int REPLY_WANTED = 0x02;
    /** REPLY_TO (u32): this item answers the peer's transfer with that id. */
    public static final int REPLY_TO = 0x03;
    /** RESUMABLE (empty): the sender starts at the offset the receiver names in a RESUME frame. */
    public static final int RESUMABLE = 0x04;
    /** Types at or above this must be understood by the receiver, which otherwise refuses the transfer. */
    public static final int MUST_UNDERSTAND = 0x80;

    /** Offset of the u16 block length, relative to the block. */
    public static final int BLOCK_LENGTH_OFFSET = 0;
    /** Offset of the first entry, relative to the block. */
    public static final int ENTRIES_OFFSET = 2;
    /** Bytes of an entry's type and length. */
    public static final int ENTRY_HEADER_BYTES = 3;
    /**
     * Longest block (entries only). 49 + 100 (media type) + 255 (name) + 2 + 640 = 1046 bytes, so the largest OPEN
     * still fits a packet of the 1200-byte minimum datagram (RFC 9000 section 14) with header and tag.
     */
    public static final int MAX_BLOCK_BYTES = 640;
    /** Most entries in one block. */
    public static final int MAX_ENTRIES = 24;
    /** Longest META key in bytes. */
    public static final int MAX_KEY_BYTES = 32;
    /** Longest META value in bytes of UTF-8. */
    public static final int MAX_VALUE_BYTES = 255;

    private OpenExtensions() {
    }

    /** What a block holds, reported entry by entry by {@link #read}. */
    public interface Visitor {
        /** A META entry. */
        void meta(String key, String value);

        /** A REPLY_WANTED entry. */
        void replyWanted();

        /** A REPLY_TO entry naming the request's transfer id. */
        void replyTo(long transferId);

        /** A RESUMABLE entry. */
        void resumable();
    }

    /**
     * The block (length prefix included) for these extensions, or null when there is nothing to say. Throws
     * IllegalArgumentException naming the rule and the fix when a key or value breaks a rule or the block is too
     * long. {@code replyTo} is -1 for none.
     */
    public static byte[] encode(Map<String, String> meta, boolean replyWanted, long replyTo, boolean resumable) {
        int entries = meta.size() + (replyWanted ? 1 : 0) + (replyTo >= 0 ? 1 : 0) + (resumable ? 1 : 0);
        if (entries == 0) {
            return null;
        }
        if (entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("an item may carry at most " + (MAX_ENTRIES - 3)
                    + " metadata entries, this one has " + meta.size() + "; merge some values");
        }
        ByteBuffer b = ByteBuffer.allocate(ENTRIES_OFFSET + MAX_BLOCK_BYTES + ENTRY_HEADER_BYTES + 1 + 255 * 4);
        int o = ENTRIES_OFFSET;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            byte[] key = keyBytes(e.getKey());
            byte[] value = valueBytes(e.getKey(), e.getValue());
            int length = 1 + key.length + value.length;
            if (o - ENTRIES_OFFSET + ENTRY_HEADER_BYTES + length > MAX_BLOCK_BYTES) {
                throw tooLong();
            }
            o = putHeader(b, o, META, length);
            BigEndian.putU8(b, o, key.length);
            b.put(o + 1, key);
            b.put(o + 1 + key.length, value);
            o += length;
        }
        if (replyWanted) {
            o = putHeader(b, o, REPLY_WANTED, 0);
        }
        if (replyTo >= 0) {
            Bounds.requireRange("replyTo", replyTo, BigEndian.MAX_U32);
            o = putHeader(b, o, REPLY_TO, 4);
            BigEndian.putU32(b, o, replyTo);
            o += 4;
        }
        if (resumable) {
            o = putHeader(b, o, RESUMABLE, 0);
        }
        if (o - ENTRIES_OFFSET > MAX_BLOCK_BYTES) {
            throw tooLong();
        }
        BigEndian.putU16(b, BLOCK_LENGTH_OFFSET, o - ENTRIES_OFFSET);
        byte[] out = new byte[o];
        b.get(0, out);
        return out;
    }

    /** Throws IllegalArgumentException naming the rule when {@code key} is not a valid META key; else its bytes. */
    public static byte[] keyBytes(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("metadata key \"" + key + "\" must be 1.." + MAX_KEY_BYTES
                    + " characters of a-z, 0-9, '.', '_' or '-'; shorten or rename it");
        }
        for (int i = 0; i < key.length(); i++) {
            if (!isKeyByte(key.charAt(i))) {
                throw new IllegalArgumentException("metadata key \"" + key + "\" has '" + key.charAt(i)
                        + "' at index " + i + "; keys use only a-z, 0-9, '.', '_' and '-' (lower case)");
            }
        }
        return key.getBytes(StandardCharsets.US_ASCII);
    }

    /** Throws IllegalArgumentException naming the rule when {@code value} is not a valid META value; else its bytes. */
    public static byte[] valueBytes(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("metadata value of \"" + key + "\" is null; pass \"\" for empty");
        }
        try {
            return Utf8.encodeStrict("metadata value of \"" + key + "\"", value, MAX_VALUE_BYTES);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (metadata values are at most " + MAX_VALUE_BYTES
                    + " bytes of UTF-8 text without control characters)", e);
        }
    }

    /**
     * Validates a block at {@code offset} ending at or before {@code limit}: length at most 640, every entry inside,
     * at most 24 entries, META keys valid and unique, META values clean text, REPLY_TO 4 bytes, REPLY_WANTED and
     * RESUMABLE empty. Returns the block's whole length (prefix included) or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, ENTRIES_OFFSET)) {
            return -1;
        }
        int blockBytes = BigEndian.getU16(buf, offset + BLOCK_LENGTH_OFFSET);
        int end = offset + ENTRIES_OFFSET + blockBytes;
        if (blockBytes > MAX_BLOCK_BYTES || !Bounds.fits(buf, offset, limit, ENTRIES_OFFSET + blockBytes)) {
            return -1;
        }
        int o = offset + ENTRIES_OFFSET;
        int entries = 0;
        while (o < end) {
            if (++entries > MAX_ENTRIES || end - o < ENTRY_HEADER_BYTES) {
                return -1;
            }
            int type = BigEndian.getU8(buf, o);
            int length = BigEndian.getU16(buf, o + 1);
            int value = o + ENTRY_HEADER_BYTES;
            if (length > end - value || !entryValid(buf, type, value, length, offset + ENTRIES_OFFSET, o)) {
                return -1;
            }
            o = value + length;
        }
        return ENTRIES_OFFSET + blockBytes;
    }

    /**
     * The first must-understand type (0x80..0xFF) in a block {@link #check} accepted, or -1. A receiver that finds
     * one refuses the transfer with UNSUPPORTED_FEATURE. Never throws.
     */
    public static int firstUnknownMustUnderstand(ByteBuffer buf, int offset) {
        int end = offset + ENTRIES_OFFSET + BigEndian.getU16(buf, offset + BLOCK_LENGTH_OFFSET);
        for (int o = offset + ENTRIES_OFFSET; o < end; o += ENTRY_HEADER_BYTES + BigEndian.getU16(buf, o + 1)) {
            int type = BigEndian.getU8(buf, o);
            if (type >= MUST_UNDERSTAND) {
                return type;
            }
        }
        return -1;
    }

    /** Reports every known entry of a block {@link #check} accepted to {@code v}, in order (allocates strings). */
    public static void read(ByteBuffer buf, int offset, Visitor v) {
        int end = offset + ENTRIES_OFFSET + BigEndian.getU16(buf, offset + BLOCK_LENGTH_OFFSET);
        int o = offset + ENTRIES_OFFSET;
        while (o < end) {
            int type = BigEndian.getU8(buf, o);
            int length = BigEndian.getU16(buf, o + 1);
            int value = o + ENTRY_HEADER_BYTES;
            switch (type) {
                case META -> {
                    int keyLength = BigEndian.getU8(buf, value);
                    v.meta(Utf8.decode(buf, value + 1, keyLength),
                            Utf8.decode(buf, value + 1 + keyLength, length - 1 - keyLength));
                }
                case REPLY_WANTED -> v.replyWanted();
                case REPLY_TO -> v.replyTo(BigEndian.getU32(buf, value));
                case RESUMABLE -> v.resumable();
                default -> {
                    // Unknown: skipped (must-understand types were refused before reading).
                }
            }
            o = value + length;
        }
    }

    private static boolean entryValid(ByteBuffer buf, int type, int value, int length, int first, int self) {
        switch (type) {
            case META -> {
                if (length < 1) {
                    return false;
                }
                int keyLength = BigEndian.getU8(buf, value);
                int valueLength = length - 1 - keyLength;
                if (keyLength < 1 || keyLength > MAX_KEY_BYTES || valueLength < 0 || valueLength > MAX_VALUE_BYTES) {
                    return false;
                }
                for (int i = 0; i < keyLength; i++) {
                    if (!isKeyByte(BigEndian.getU8(buf, value + 1 + i))) {
                        return false;
                    }
                }
                return Utf8.isCleanText(buf, value + 1 + keyLength, valueLength)
                        && !keySeenBefore(buf, first, self, value + 1, keyLength);
            }
            case REPLY_WANTED, RESUMABLE -> {
                return length == 0;
            }
            case REPLY_TO -> {
                return length == 4;
            }
            default -> {
                return true;
            }
        }
    }

    /** Whether an earlier META entry in {@code [first, self)} has the same key (at most 24 entries: O(n^2) is fine). */
    private static boolean keySeenBefore(ByteBuffer buf, int first, int self, int key, int keyLength) {
        for (int o = first; o < self; o += ENTRY_HEADER_BYTES + BigEndian.getU16(buf, o + 1)) {
            if (BigEndian.getU8(buf, o) != META || BigEndian.getU8(buf, o + ENTRY_HEADER_BYTES) != keyLength) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < keyLength && same; i++) {
                same = buf.get(o + ENTRY_HEADER_BYTES + 1 + i) == buf.get(key + i);
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKeyByte(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }

    private static int putHeader(ByteBuffer b, int o, int type, int length) {
        BigEndian.putU8(b, o, type);
        BigEndian.putU16(b, o + 1, length);
        return o + ENTRY_HEADER_BYTES;
    }

    private static IllegalArgumentException tooLong() {
        return new IllegalArgumentException("the item's metadata is longer than " + MAX_BLOCK_BYTES
                + " bytes on the wire; send fewer or shorter entries (put large data in the item itself)");
    }
}
