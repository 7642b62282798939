package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * PADDING (type 0x00): zero bytes. Every 0x00 byte is a complete 1-byte frame, so a run of zeros is a run of
 * padding frames; senders use it to grow packets (MTU probes) and receivers skip it. Not ack-eliciting.
 *
 * <pre>
 *  0        1        2
 *  +--------+--------+--- ... ---+
 *  | 0x00   | 0x00   |   0x00    |
 *  +--------+--------+--- ... ---+
 * </pre>
 */
public final class PaddingFrame {

    /** Offset of the type byte (the only byte of each padding frame). */
    public static final int TYPE_OFFSET = 0;
    /** Length of one padding frame. */
    public static final int LENGTH = 1;

    private PaddingFrame() {
    }

    /** Writes zeros to {@code buf[from, to)}; throws IndexOutOfBoundsException when the range is impossible. */
    public static void fill(ByteBuffer buf, int from, int to) {
        if (from < 0 || to < from || to > buf.limit()) {
            throw new IndexOutOfBoundsException("cannot pad [" + from + ", " + to + ") in a buffer whose limit is "
                    + buf.limit());
        }
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            BigEndian.putI64(buf, i, 0L);
        }
        for (; i < to; i++) {
            buf.put(i, (byte) 0);
        }
    }

    /**
     * Length of the run of 0x00 bytes starting at {@code offset} and ending at the first nonzero byte or at
     * {@code limit}; -1 when the byte at {@code offset} is not 0x00 or out of range. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, LENGTH)) {
            return -1;
        }
        int i = offset;
        while (i < limit && buf.get(i) == 0) {
            i++;
        }
        return i == offset ? -1 : i - offset;
    }
}
