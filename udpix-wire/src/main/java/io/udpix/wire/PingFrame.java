package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * PING (type 0x01): one byte, no content. Ack-eliciting, so it makes the peer acknowledge the packet: used for
 * keep-alive and path MTU probes.
 *
 * <pre>
 *  0        1
 *  +--------+
 *  | 0x01   |
 *  +--------+
 * </pre>
 */
public final class PingFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Frame length. */
    public static final int LENGTH = 1;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public PingFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** Writes the type byte; returns this. */
    public PingFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.PING);
        return this;
    }

    /** Writes a PING at {@code offset}; returns the end offset. */
    public static int write(ByteBuffer buf, int offset) {
        BigEndian.putU8(buf, offset + TYPE_OFFSET, FrameType.PING);
        return offset + LENGTH;
    }

    /** Returns 1 when the byte at {@code offset} (before {@code limit}) is 0x01, else -1. Never throws. */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return Bounds.fits(buf, offset, limit, LENGTH) && BigEndian.getU8(buf, offset) == FrameType.PING
                ? LENGTH : -1;
    }
}
