package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * STREAM_CLOSE (type 0x24): ends a frame stream. Sent by its sender when it stops (code OK, {@code frames} = frames
 * it started, below 2^32-1) or by its receiver to refuse or stop it (REFUSED, TOO_MANY_TRANSFERS, TOO_LARGE, ...;
 * {@code frames} = {@link #FROM_RECEIVER}, all ones). The marker says which stream the id names: each direction has
 * its own stream id space, so stream 3 may exist both ways on one connection. Ack-eliciting, reliable.
 * docs/PROTOCOL.md section 4.16.
 *
 * <pre>
 *  0      1              5              9          11         12
 *  +------+--------------+--------------+----------+----------+--------------------+
 *  | 0x24 | streamId u32 | frames u32   | code u16 | reason   | reason (R bytes)   |
 *  |      |              |              |          | Length u8| UTF-8, no controls |
 *  +------+--------------+--------------+----------+----------+--------------------+
 * </pre>
 *
 * <p>Total length {@code 12 + R}.
 */
public final class StreamCloseFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 stream id. */
    public static final int STREAM_ID_OFFSET = 1;
    /** Offset of the u32 frame count. */
    public static final int FRAMES_OFFSET = 5;
    /** Offset of the u16 {@link ErrorCode}. */
    public static final int CODE_OFFSET = 9;
    /** Offset of the u8 reason length. */
    public static final int REASON_LENGTH_OFFSET = 11;
    /** Offset of the reason bytes. */
    public static final int REASON_OFFSET = 12;
    /** Longest reason in bytes. */
    public static final int MAX_REASON_BYTES = 255;
    /** The frames value of a STREAM_CLOSE from the stream's receiver (a sender's count is always below it). */
    public static final long FROM_RECEIVER = BigEndian.MAX_U32;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public StreamCloseFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The stream id, 0..2^32-1. */
    public long streamId() {
        return BigEndian.getU32(buffer, offset + STREAM_ID_OFFSET);
    }

    /** Frames the sender started, or {@link #FROM_RECEIVER}. */
    public long frames() {
        return BigEndian.getU32(buffer, offset + FRAMES_OFFSET);
    }

    /** True when the stream's receiver sent this (it names a stream the recipient sends). */
    public boolean fromReceiver() {
        return frames() == FROM_RECEIVER;
    }

    /** The {@link ErrorCode}, 0..65535. */
    public int code() {
        return BigEndian.getU16(buffer, offset + CODE_OFFSET);
    }

    /** Reason length in bytes. */
    public int reasonLength() {
        return BigEndian.getU8(buffer, offset + REASON_LENGTH_OFFSET);
    }

    /** The reason (allocates). */
    public String reason() {
        return Utf8.decode(buffer, offset + REASON_OFFSET, reasonLength());
    }

    /** This frame's length: {@code 12 + reasonLength}. */
    public int length() {
        return REASON_OFFSET + reasonLength();
    }

    /**
     * Writes a whole STREAM_CLOSE from the stream's sender at {@code offset} ({@code frames} it started,
     * 0..2^32-2); returns the end offset. The reason is made to fit, never rejected (see {@link ResultFrame#encode}).
     * Throws IllegalArgumentException only for out-of-range numbers or no room below the buffer's limit.
     */
    public static int encode(ByteBuffer buf, int offset, long streamId, long frames, int code, String reason) {
        return encode(buf, offset, streamId, frames, code, Utf8.encodeReason(reason));
    }

    /**
     * Like {@link #encode(ByteBuffer, int, long, long, int, String)} with the reason already encoded by
     * {@link #encodeReason}, so a resend allocates nothing.
     */
    public static int encode(ByteBuffer buf, int offset, long streamId, long frames, int code, byte[] reasonUtf8) {
        Bounds.requireRange("frames", frames, FROM_RECEIVER - 1);
        return write(buf, offset, streamId, frames, code, reasonUtf8);
    }

    /**
     * Writes a whole STREAM_CLOSE from the stream's receiver (refusing or stopping it) at {@code offset}; returns the
     * end offset. {@code reasonUtf8} as {@link #encodeReason} gives it.
     */
    public static int encodeFromReceiver(ByteBuffer buf, int offset, long streamId, int code, byte[] reasonUtf8) {
        return write(buf, offset, streamId, FROM_RECEIVER, code, reasonUtf8);
    }

    private static int write(ByteBuffer buf, int offset, long streamId, long frames, int code, byte[] reasonUtf8) {
        Bounds.requireRange("streamId", streamId, BigEndian.MAX_U32);
        Bounds.requireRange("code", code, BigEndian.MAX_U16);
        Bounds.requireRange("reason length", reasonUtf8.length, MAX_REASON_BYTES);
        if (!Utf8.isCleanText(ByteBuffer.wrap(reasonUtf8), 0, reasonUtf8.length)) {
            throw new IllegalArgumentException("reason is not strict UTF-8 without control characters; encode it with"
                    + " StreamCloseFrame.encodeReason");
        }
        Bounds.requireRoom(buf, offset, REASON_OFFSET + reasonUtf8.length, "STREAM_CLOSE frame");
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.STREAM_CLOSE);
        BigEndian.putU32(buf, offset + STREAM_ID_OFFSET, streamId);
        BigEndian.putU32(buf, offset + FRAMES_OFFSET, frames);
        BigEndian.putU16(buf, offset + CODE_OFFSET, code);
        BigEndian.putU8(buf, offset + REASON_LENGTH_OFFSET, reasonUtf8.length);
        buf.put(offset + REASON_OFFSET, reasonUtf8);
        return offset + REASON_OFFSET + reasonUtf8.length;
    }

    /** A reason as {@link #encode} sends it: control characters become spaces, cut to 255 bytes. Never throws. */
    public static byte[] encodeReason(String reason) {
        return Utf8.encodeReason(reason);
    }

    /** Length {@link #encode} would write for {@code reason} (after sanitizing and truncation). */
    public static int encodedLength(String reason) {
        return REASON_OFFSET + Utf8.encodeReason(reason).length;
    }

    /**
     * Validates a STREAM_CLOSE at {@code offset} ending at or before {@code limit}: type byte, reason inside and
     * strict UTF-8 without control characters. Returns the frame length or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, REASON_OFFSET)
                || BigEndian.getU8(buf, offset) != FrameType.STREAM_CLOSE) {
            return -1;
        }
        int reasonLength = BigEndian.getU8(buf, offset + REASON_LENGTH_OFFSET);
        return Bounds.fits(buf, offset, limit, REASON_OFFSET + reasonLength)
                && Utf8.isCleanText(buf, offset + REASON_OFFSET, reasonLength)
                ? REASON_OFFSET + reasonLength : -1;
    }
}
