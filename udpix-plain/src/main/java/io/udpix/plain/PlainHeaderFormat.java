package io.udpix.plain;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Layout of a plain-mode length header: a signed integer of 4 or 8 bytes in either byte order.
 *
 * <p>The default, 8 bytes little-endian, is what the tutorial's {@code struct.pack('l', n)} produces on 64-bit
 * Linux. Lengths are signed (as {@code 'l'} and {@code 'i'} are), so a negative value is a malformed header, not
 * a huge one.
 */
public record PlainHeaderFormat(int lengthBytes, ByteOrder order) {

    /** 8 bytes, little-endian: Python's {@code struct.pack('l', n)} on 64-bit Linux. */
    public static final PlainHeaderFormat DEFAULT = new PlainHeaderFormat(8, ByteOrder.LITTLE_ENDIAN);

    /** Checks the size and the order. */
    public PlainHeaderFormat {
        if (lengthBytes != 4 && lengthBytes != 8) {
            throw new IllegalArgumentException("a plain length header is 4 or 8 bytes, not " + lengthBytes);
        }
        if (order == null) {
            throw new IllegalArgumentException("a plain length header needs a byte order (little or big endian)");
        }
    }

    /**
     * Parses {@code 8le}, {@code 8be}, {@code 4le} or {@code 4be} (case-insensitive): the size in bytes, then
     * the byte order.
     */
    public static PlainHeaderFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "8le": return DEFAULT;
            case "8be": return new PlainHeaderFormat(8, ByteOrder.BIG_ENDIAN);
            case "4le": return new PlainHeaderFormat(4, ByteOrder.LITTLE_ENDIAN);
            case "4be": return new PlainHeaderFormat(4, ByteOrder.BIG_ENDIAN);
            default:
                throw new IllegalArgumentException("header format '" + text + "' is not one of 8le, 8be, 4le, 4be"
                        + " (size in bytes, then byte order); Python's struct.pack('l', n) on 64-bit Linux is 8le,"
                        + " struct.pack('!i', n) is 4be");
        }
    }

    /** The short name that {@link #parse} accepts, e.g. {@code 8le}. */
    public String label() {
        return lengthBytes + (order == ByteOrder.LITTLE_ENDIAN ? "le" : "be");
    }

    /** A human description for messages, e.g. {@code 8-byte little-endian}. */
    public String describe() {
        return lengthBytes + "-byte " + (order == ByteOrder.LITTLE_ENDIAN ? "little" : "big") + "-endian";
    }

    /** The largest length this header can carry. */
    public long maxLength() {
        return lengthBytes == 8 ? Long.MAX_VALUE : Integer.MAX_VALUE;
    }

    /** Reads a signed length from {@code src[offset, offset + lengthBytes)}. */
    public long decode(byte[] src, int offset) {
        long value = 0;
        for (int i = 0; i < lengthBytes; i++) {
            int b = src[offset + (order == ByteOrder.LITTLE_ENDIAN ? lengthBytes - 1 - i : i)] & 0xFF;
            value = (value << 8) | b;
        }
        // Sign-extend the 4-byte form: struct 'i' is signed.
        return lengthBytes == 4 ? (long) (int) value : value;
    }

    /** Writes {@code length} at {@code dst}'s position and advances it by {@link #lengthBytes}. */
    public void encode(long length, ByteBuffer dst) {
        if (length < 0 || length > maxLength()) {
            throw new IllegalArgumentException("a " + describe() + " header cannot carry length " + length
                    + " (0.." + maxLength() + "); use an 8-byte header format");
        }
        for (int i = 0; i < lengthBytes; i++) {
            int shift = 8 * (order == ByteOrder.LITTLE_ENDIAN ? i : lengthBytes - 1 - i);
            dst.put((byte) (length >>> shift));
        }
    }

    /** Returns the header bytes for {@code length}. */
    public byte[] encode(long length) {
        ByteBuffer b = ByteBuffer.allocate(lengthBytes);
        encode(length, b);
        return b.array();
    }

    @Override
    public String toString() {
        return label();
    }
}
