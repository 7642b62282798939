package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * STREAM_OPEN (type 0x20): opens a frame stream, sent by the stream's sender before (and, until acknowledged,
 * beside) its first fragments. Ack-eliciting, reliable (resent until acknowledged). docs/PROTOCOL.md section 4.12.
 *
 * <pre>
 *  0      1            5       6       7            9            11         13         15
 *  +------+------------+-------+-------+------------+------------+----------+----------+
 *  | 0x20 | streamId   | codec | flags | latency    | fps hint   | width    | height   |
 *  |      | u32        | u8    | u8    | budget ms  | centi u16  | u16      | u16      |
 *  |      |            |       |       | u16 1..1e4 |            |          |          |
 *  +------+------------+-------+-------+------------+------------+----------+----------+
 *  15                        23              24
 *  +-------------------------+---------------+----------------------+
 *  | sender clock us u64     | nameLength    | name (N bytes)       |
 *  | 0..2^63-1               | u8 = N        | UTF-8, no controls   |
 *  +-------------------------+---------------+----------------------+
 * </pre>
 *
 * <p>Codec: 0 JPEG, 1 PNG, 2 RAW, 3 OTHER; a receiver reads an unknown value as OTHER, so check does not judge it.
 * Flags are 0 in this version; receivers ignore unknown bits. The sender clock is the sender's monotonic clock in
 * microseconds when it wrote the frame (the receiver's clock offset estimate, section 5.8.3). Total length
 * {@code 24 + N}.
 */
public final class StreamOpenFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 stream id. */
    public static final int STREAM_ID_OFFSET = 1;
    /** Offset of the u8 codec. */
    public static final int CODEC_OFFSET = 5;
    /** Offset of the u8 flags. */
    public static final int FLAGS_OFFSET = 6;
    /** Offset of the u16 latency budget in milliseconds. */
    public static final int LATENCY_BUDGET_MS_OFFSET = 7;
    /** Offset of the u16 frame rate hint in hundredths of a frame per second. */
    public static final int FPS_HINT_CENTI_OFFSET = 9;
    /** Offset of the u16 width in pixels. */
    public static final int WIDTH_OFFSET = 11;
    /** Offset of the u16 height in pixels. */
    public static final int HEIGHT_OFFSET = 13;
    /** Offset of the u64 sender clock in microseconds. */
    public static final int SENDER_CLOCK_US_OFFSET = 15;
    /** Offset of the u8 name length. */
    public static final int NAME_LENGTH_OFFSET = 23;
    /** Offset of the name bytes. */
    public static final int NAME_OFFSET = 24;
    /** Length of a STREAM_OPEN with an empty name. */
    public static final int MIN_LENGTH = NAME_OFFSET;
    /** Longest name in bytes of UTF-8. */
    public static final int MAX_NAME_BYTES = 255;
    /** Smallest latency budget on the wire, in milliseconds. */
    public static final int MIN_LATENCY_BUDGET_MS = 1;
    /** Largest latency budget on the wire, in milliseconds. */
    public static final int MAX_LATENCY_BUDGET_MS = 10_000;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public StreamOpenFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The stream id, 0..2^32-1. */
    public long streamId() {
        return BigEndian.getU32(buffer, offset + STREAM_ID_OFFSET);
    }

    /** The codec byte (0 JPEG, 1 PNG, 2 RAW, 3 OTHER; others read as OTHER). */
    public int codec() {
        return BigEndian.getU8(buffer, offset + CODEC_OFFSET);
    }

    /** The flags byte (0 in this version; ignore unknown bits). */
    public int flags() {
        return BigEndian.getU8(buffer, offset + FLAGS_OFFSET);
    }

    /** The latency budget the sender asks for, in milliseconds (1..10,000 in a well-formed frame). */
    public int latencyBudgetMs() {
        return BigEndian.getU16(buffer, offset + LATENCY_BUDGET_MS_OFFSET);
    }

    /** The frame rate hint in hundredths of a frame per second, 0 unknown. */
    public int fpsHintCenti() {
        return BigEndian.getU16(buffer, offset + FPS_HINT_CENTI_OFFSET);
    }

    /** Frame width in pixels, 0 unknown. */
    public int width() {
        return BigEndian.getU16(buffer, offset + WIDTH_OFFSET);
    }

    /** Frame height in pixels, 0 unknown. */
    public int height() {
        return BigEndian.getU16(buffer, offset + HEIGHT_OFFSET);
    }

    /** The sender's clock when it wrote this frame, in microseconds (0..2^63-1 in a well-formed frame). */
    public long senderClockUs() {
        return BigEndian.getI64(buffer, offset + SENDER_CLOCK_US_OFFSET);
    }

    /** Name length in bytes of UTF-8. */
    public int nameLength() {
        return BigEndian.getU8(buffer, offset + NAME_LENGTH_OFFSET);
    }

    /** The stream's name (allocates). */
    public String name() {
        return Utf8.decode(buffer, offset + NAME_OFFSET, nameLength());
    }

    /** This frame's length: {@code 24 + nameLength}. */
    public int length() {
        return NAME_OFFSET + nameLength();
    }

    /**
     * Writes a whole STREAM_OPEN at {@code offset} with the name already encoded (as {@link #encodeName} gives it,
     * so a resend allocates nothing); returns the end offset. Throws IllegalArgumentException, writing nothing, when
     * a value breaks a rule of {@link #check} or the frame does not fit below the buffer's limit.
     */
    public static int encode(ByteBuffer buf, int offset, long streamId, int codec, int flags, int latencyBudgetMs,
                             int fpsHintCenti, int width, int height, long senderClockUs, byte[] nameUtf8) {
        Bounds.requireRange("streamId", streamId, BigEndian.MAX_U32);
        Bounds.requireRange("codec", codec, BigEndian.MAX_U8);
        Bounds.requireRange("flags", flags, BigEndian.MAX_U8);
        if (latencyBudgetMs < MIN_LATENCY_BUDGET_MS || latencyBudgetMs > MAX_LATENCY_BUDGET_MS) {
            throw new IllegalArgumentException("latencyBudgetMs must be " + MIN_LATENCY_BUDGET_MS + ".."
                    + MAX_LATENCY_BUDGET_MS + ", got " + latencyBudgetMs);
        }
        Bounds.requireRange("fpsHintCenti", fpsHintCenti, BigEndian.MAX_U16);
        Bounds.requireRange("width", width, BigEndian.MAX_U16);
        Bounds.requireRange("height", height, BigEndian.MAX_U16);
        Bounds.requireRange("senderClockUs", senderClockUs, Long.MAX_VALUE);
        Bounds.requireRange("name length", nameUtf8.length, MAX_NAME_BYTES);
        if (!Utf8.isCleanText(ByteBuffer.wrap(nameUtf8), 0, nameUtf8.length)) {
            throw new IllegalArgumentException("name is not strict UTF-8 without control characters; encode it with"
                    + " StreamOpenFrame.encodeName");
        }
        Bounds.requireRoom(buf, offset, NAME_OFFSET + nameUtf8.length, "STREAM_OPEN frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.STREAM_OPEN);
        BigEndian.putU32(buf, offset + STREAM_ID_OFFSET, streamId);
        BigEndian.putU8(buf, offset + CODEC_OFFSET, codec);
        BigEndian.putU8(buf, offset + FLAGS_OFFSET, flags);
        BigEndian.putU16(buf, offset + LATENCY_BUDGET_MS_OFFSET, latencyBudgetMs);
        BigEndian.putU16(buf, offset + FPS_HINT_CENTI_OFFSET, fpsHintCenti);
        BigEndian.putU16(buf, offset + WIDTH_OFFSET, width);
        BigEndian.putU16(buf, offset + HEIGHT_OFFSET, height);
        BigEndian.putI64(buf, offset + SENDER_CLOCK_US_OFFSET, senderClockUs);
        BigEndian.putU8(buf, offset + NAME_LENGTH_OFFSET, nameUtf8.length);
        buf.put(offset + NAME_OFFSET, nameUtf8);
        return offset + NAME_OFFSET + nameUtf8.length;
    }

    /**
     * The name as the bytes {@link #encode} takes: strict UTF-8, at most 255 bytes, no control characters. Throws
     * IllegalArgumentException naming the rule it breaks.
     */
    public static byte[] encodeName(String name) {
        return Utf8.encodeStrict("name", name, MAX_NAME_BYTES);
    }

    /**
     * The name made to fit, never rejected (a label, often typed by a user): control characters become spaces,
     * unpaired surrogates '?', cut to 255 bytes at a character boundary. Never throws.
     */
    public static byte[] encodeNameLenient(String name) {
        return Utf8.encodeReason(name);
    }

    /** Length {@link #encode} writes for a name of {@code nameBytes} bytes: {@code 24 + nameBytes}. */
    public static int encodedLength(int nameBytes) {
        return NAME_OFFSET + nameBytes;
    }

    /**
     * Validates a STREAM_OPEN at {@code offset} ending at or before {@code limit}: type byte, latency budget
     * 1..10,000 ms, sender clock 0..2^63-1, name inside and strict UTF-8 without control characters. Codec and flags
     * are not judged. Returns the frame length or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, MIN_LENGTH) || BigEndian.getU8(buf, offset) != FrameType.STREAM_OPEN) {
            return -1;
        }
        int budgetMs = BigEndian.getU16(buf, offset + LATENCY_BUDGET_MS_OFFSET);
        if (budgetMs < MIN_LATENCY_BUDGET_MS || budgetMs > MAX_LATENCY_BUDGET_MS
                || BigEndian.getI64(buf, offset + SENDER_CLOCK_US_OFFSET) < 0) {
            return -1;
        }
        int nameLength = BigEndian.getU8(buf, offset + NAME_LENGTH_OFFSET);
        return Bounds.fits(buf, offset, limit, NAME_OFFSET + nameLength)
                && Utf8.isCleanText(buf, offset + NAME_OFFSET, nameLength)
                ? NAME_OFFSET + nameLength : -1;
    }
}
