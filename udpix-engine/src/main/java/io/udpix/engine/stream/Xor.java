package io.udpix.engine.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XOR of byte ranges eight bytes at a time between arrays and buffers (heap or direct), for parity. Both sides
 * are read with the same fixed byte order, so the result is bytewise XOR whatever a buffer's own order is.
 */
final class Xor {
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private Xor() {
    }

    /** {@code dst[dstOffset..+length) ^= src[srcOffset..+length)}. */
    static void into(byte[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = (long) ARRAY_LONG.get(dst, dstOffset + i) ^ (long) ARRAY_LONG.get(src, srcOffset + i);
            ARRAY_LONG.set(dst, dstOffset + i, v);
        }
        for (; i < length; i++) {
            dst[dstOffset + i] ^= src[srcOffset + i];
        }
    }

    /** {@code dst[dstIndex..+length) ^= src[srcOffset..+length)}, absolute buffer indices. */
    static void into(byte[] src, int srcOffset, ByteBuffer dst, int dstIndex, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = (long) BUFFER_LONG.get(dst, dstIndex + i) ^ (long) ARRAY_LONG.get(src, srcOffset + i);
            BUFFER_LONG.set(dst, dstIndex + i, v);
        }
        for (; i < length; i++) {
            dst.put(dstIndex + i, (byte) (dst.get(dstIndex + i) ^ src[srcOffset + i]));
        }
    }

    /** Zeroes {@code dst[dstIndex..+length)}, absolute buffer indices. */
    static void zero(ByteBuffer dst, int dstIndex, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            BUFFER_LONG.set(dst, dstIndex + i, 0L);
        }
        for (; i < length; i++) {
            dst.put(dstIndex + i, (byte) 0);
        }
    }
}
