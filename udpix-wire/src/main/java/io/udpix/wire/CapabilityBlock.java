package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * The type-length-value capability block inside the Noise handshake payloads (like QUIC's transport parameters,
 * RFC 9000 section 18): a sequence of entries, each
 *
 * <pre>
 *  0          2          4
 *  +----------+----------+---------------------+
 *  | type u16 | length   | value (length bytes)|
 *  |          | u16      |                     |
 *  +----------+----------+---------------------+
 * </pre>
 *
 * A receiver ignores a type it does not know unless its top bit ({@link #MUST_UNDERSTAND}) is set; then it refuses
 * the handshake with a clear error naming the type. A type appears at most once. Offsets are relative to the
 * entry start; all methods work on {@code [offset, limit)} and never move the buffer's position or limit.
 */
public final class CapabilityBlock {
    /** Bit 15 of a type: the receiver must know this type or refuse the connection. */
    public static final int MUST_UNDERSTAND = 0x8000;
    /** ACCEPT: u64 the server's connection id (the client puts it in its packets). */
    public static final int SERVER_CONNECTION_ID = 0x0001 | MUST_UNDERSTAND;
    /** ACCEPT: u16 the largest datagram the server accepts. */
    public static final int MAX_DATAGRAM_BYTES = 0x0002;
    /** ACCEPT: u32 the idle timeout the server settled on, in milliseconds. */
    public static final int IDLE_TIMEOUT_MS = 0x0003;
    /** ACCEPT: u16 size of the HELLO datagram that reached the server (the path carries datagrams this big). */
    public static final int HELLO_SIZE_BYTES = 0x0004;
    /** ACCEPT: u16 concurrent transfers the server accepts on this connection. */
    public static final int MAX_TRANSFERS = 0x0005;
    /** ACCEPT: u32 flow-control credit each new transfer starts with, in bytes. */
    public static final int INITIAL_WINDOW_BYTES = 0x0006;
    /** ACCEPT: 16 bytes, the stateless reset token for the server's connection id (RFC 9000 section 10.3). */
    public static final int RESET_TOKEN = 0x0007;
    /** Any: u32 feature bits ({@link #FEATURE_DIGEST_FOLLOWS}, {@link #FEATURE_STREAMS},
     * {@link #FEATURE_ITEM_EXTENSIONS}). */
    public static final int FEATURES = 0x0008;
    /** Feature bit: the sender understands the OPEN flag DIGEST_FOLLOWS and the DIGEST frame. */
    public static final int FEATURE_DIGEST_FOLLOWS = 1;
    /** Feature bit: the side takes frame streams (STREAM_OPEN..STREAM_CLOSE, docs/PROTOCOL.md section 5.8). */
    public static final int FEATURE_STREAMS = 2;
    /**
     * Feature bit: the side parses OPEN extension blocks ({@link OpenFrame#FLAG_EXTENSIONS}: metadata, request and
     * reply, resume) and the RESUME frame (docs/PROTOCOL.md sections 4.4a and 4.8b).
     */
    public static final int FEATURE_ITEM_EXTENSIONS = 4;
    /**
     * Any side that takes streams: 10 bytes, max streams u16 | max frame bytes u32 | latency min ms u16 | latency
     * max ms u16 (see {@link #putStreamLimits}).
     */
    public static final int STREAM_LIMITS = 0x0009;
    /** Value length of {@link #STREAM_LIMITS}. */
    public static final int STREAM_LIMITS_BYTES = 10;
    /** Entry header length. */
    public static final int ENTRY_HEADER_BYTES = 4;
    /** Most entries a block may hold (a bound on the validation loop). */
    public static final int MAX_ENTRIES = 64;
    /** {@link #check} result: an unknown type with the must-understand bit. */
    public static final int UNKNOWN_MUST_UNDERSTAND = -2;

    private CapabilityBlock() {
    }

    /** Writes one entry with a {@code length}-byte big-endian value (1, 2, 4 or 8); returns the end offset. */
    public static int putNumber(ByteBuffer buf, int offset, int type, int length, long value) {
        Bounds.requireRange("type", type, BigEndian.MAX_U16);
        Bounds.requireRoom(buf, offset, ENTRY_HEADER_BYTES + length, "capability entry");
        BigEndian.putU16(buf, offset, type);
        BigEndian.putU16(buf, offset + 2, length);
        switch (length) {
            case 1 -> BigEndian.putU8(buf, offset + 4, (int) value);
            case 2 -> BigEndian.putU16(buf, offset + 4, (int) value);
            case 4 -> BigEndian.putU32(buf, offset + 4, value);
            case 8 -> BigEndian.putI64(buf, offset + 4, value);
            default -> throw new IllegalArgumentException("a number entry is 1, 2, 4 or 8 bytes, not " + length);
        }
        return offset + ENTRY_HEADER_BYTES + length;
    }

    /** Writes one entry with {@code value} as its bytes; returns the end offset. */
    public static int putBytes(ByteBuffer buf, int offset, int type, byte[] value) {
        Bounds.requireRange("type", type, BigEndian.MAX_U16);
        Bounds.requireRange("length", value.length, BigEndian.MAX_U16);
        Bounds.requireRoom(buf, offset, ENTRY_HEADER_BYTES + value.length, "capability entry");
        BigEndian.putU16(buf, offset, type);
        BigEndian.putU16(buf, offset + 2, value.length);
        buf.put(offset + 4, value);
        return offset + ENTRY_HEADER_BYTES + value.length;
    }

    /**
     * Validates a block filling {@code [offset, limit)}: whole entries, at most {@link #MAX_ENTRIES}, no type twice,
     * every must-understand type in {@code known}. Returns the entry count, -1 when malformed, or
     * {@link #UNKNOWN_MUST_UNDERSTAND}. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit, int... known) {
        if (!Bounds.fits(buf, offset, limit, 0)) {
            return -1;
        }
        int count = 0;
        int at = offset;
        while (at < limit) {
            if (count == MAX_ENTRIES || limit - at < ENTRY_HEADER_BYTES) {
                return -1;
            }
            int type = BigEndian.getU16(buf, at);
            int length = BigEndian.getU16(buf, at + 2);
            if (length > limit - at - ENTRY_HEADER_BYTES || find(buf, offset, at, type) >= 0) {
                return -1;
            }
            if ((type & MUST_UNDERSTAND) != 0 && !contains(known, type)) {
                return UNKNOWN_MUST_UNDERSTAND;
            }
            at += ENTRY_HEADER_BYTES + length;
            count++;
        }
        return count;
    }

    /**
     * The first unknown must-understand type in a block {@link #check} accepted as far as shape goes, or -1.
     * Never throws.
     */
    public static int firstUnknownMustUnderstand(ByteBuffer buf, int offset, int limit, int... known) {
        int at = offset;
        for (int i = 0; i < MAX_ENTRIES && Bounds.fits(buf, at, limit, ENTRY_HEADER_BYTES); i++) {
            int type = BigEndian.getU16(buf, at);
            if ((type & MUST_UNDERSTAND) != 0 && !contains(known, type)) {
                return type;
            }
            at += ENTRY_HEADER_BYTES + BigEndian.getU16(buf, at + 2);
        }
        return -1;
    }

    private static boolean contains(int[] known, int type) {
        for (int k : known) {
            if (k == type) {
                return true;
            }
        }
        return false;
    }

    /**
     * Absolute index of the entry of {@code type} in a block in {@code [offset, limit)} that {@link #check}
     * accepted, or -1. Never throws.
     */
    public static int find(ByteBuffer buf, int offset, int limit, int type) {
        int at = offset;
        for (int i = 0; i < MAX_ENTRIES && Bounds.fits(buf, at, limit, ENTRY_HEADER_BYTES); i++) {
            int length = BigEndian.getU16(buf, at + 2);
            if (BigEndian.getU16(buf, at) == type) {
                return Bounds.fits(buf, at, limit, ENTRY_HEADER_BYTES + length) ? at : -1;
            }
            at += ENTRY_HEADER_BYTES + length;
        }
        return -1;
    }

    /**
     * Writes a {@link #STREAM_LIMITS} entry; returns the end offset. Throws IllegalArgumentException for values that
     * do not fit their fields, a minimum above the maximum, or no room.
     */
    public static int putStreamLimits(ByteBuffer buf, int offset, int maxStreams, long maxFrameBytes,
                                      int latencyMinMs, int latencyMaxMs) {
        Bounds.requireRange("maxStreams", maxStreams, BigEndian.MAX_U16);
        Bounds.requireRange("maxFrameBytes", maxFrameBytes, BigEndian.MAX_U32);
        Bounds.requireRange("latencyMinMs", latencyMinMs, BigEndian.MAX_U16);
        Bounds.requireRange("latencyMaxMs", latencyMaxMs, BigEndian.MAX_U16);
        if (latencyMinMs > latencyMaxMs) {
            throw new IllegalArgumentException("latencyMinMs " + latencyMinMs + " is above latencyMaxMs "
                    + latencyMaxMs + "; swap them");
        }
        Bounds.requireRoom(buf, offset, ENTRY_HEADER_BYTES + STREAM_LIMITS_BYTES, "capability entry");
        BigEndian.putU16(buf, offset, STREAM_LIMITS);
        BigEndian.putU16(buf, offset + 2, STREAM_LIMITS_BYTES);
        BigEndian.putU16(buf, offset + 4, maxStreams);
        BigEndian.putU32(buf, offset + 6, maxFrameBytes);
        BigEndian.putU16(buf, offset + 10, latencyMinMs);
        BigEndian.putU16(buf, offset + 12, latencyMaxMs);
        return offset + ENTRY_HEADER_BYTES + STREAM_LIMITS_BYTES;
    }

    /**
     * Reads the {@link #STREAM_LIMITS} entry of a block {@link #check} accepted into {@code out} as {max streams,
     * max frame bytes, latency min ms, latency max ms}; returns false (leaving {@code out} alone) when the entry is
     * absent, not 10 bytes long, or its minimum is above its maximum. Never throws for a 4-element {@code out}.
     */
    public static boolean streamLimits(ByteBuffer buf, int offset, int limit, long[] out) {
        int e = find(buf, offset, limit, STREAM_LIMITS);
        if (e < 0 || length(buf, e) != STREAM_LIMITS_BYTES || out == null || out.length < 4) {
            return false;
        }
        int min = BigEndian.getU16(buf, e + 10);
        int max = BigEndian.getU16(buf, e + 12);
        if (min > max) {
            return false;
        }
        out[0] = BigEndian.getU16(buf, e + 4);
        out[1] = BigEndian.getU32(buf, e + 6);
        out[2] = min;
        out[3] = max;
        return true;
    }

    /** Value length of the entry at {@code entry} (from {@link #find}). */
    public static int length(ByteBuffer buf, int entry) {
        return BigEndian.getU16(buf, entry + 2);
    }

    /**
     * The big-endian unsigned value of the entry of {@code type} when it is 1, 2, 4 or 8 bytes long; {@code dflt}
     * when absent or of another length. Never throws on a block {@link #check} accepted.
     */
    public static long number(ByteBuffer buf, int offset, int limit, int type, long dflt) {
        int e = find(buf, offset, limit, type);
        if (e < 0) {
            return dflt;
        }
        return switch (length(buf, e)) {
            case 1 -> BigEndian.getU8(buf, e + 4);
            case 2 -> BigEndian.getU16(buf, e + 4);
            case 4 -> BigEndian.getU32(buf, e + 4);
            case 8 -> BigEndian.getI64(buf, e + 4);
            default -> dflt;
        };
    }
}
