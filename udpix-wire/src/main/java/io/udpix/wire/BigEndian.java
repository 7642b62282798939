package io.udpix.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute big-endian reads and writes on a {@link ByteBuffer}, independent of the buffer's order and position.
 *
 * <p>Every method uses an absolute index, so the buffer's position, limit and byte order are never read or
 * changed; index checks are against the buffer's limit ({@link IndexOutOfBoundsException} otherwise). The
 * VarHandles are invoked with exact types so that no boxing happens.
 */
public final class BigEndian {

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Largest value of an unsigned 32-bit field. */
    public static final long MAX_U32 = 0xFFFF_FFFFL;
    /** Largest value of an unsigned 16-bit field. */
    public static final int MAX_U16 = 0xFFFF;
    /** Largest value of an unsigned 8-bit field. */
    public static final int MAX_U8 = 0xFF;

    private BigEndian() {
    }

    /** Reads an unsigned byte. */
    public static int getU8(ByteBuffer buf, int index) {
        return buf.get(index) & 0xFF;
    }

    /** Reads an unsigned big-endian 16-bit value. */
    public static int getU16(ByteBuffer buf, int index) {
        return ((short) SHORT.get(buf, index)) & 0xFFFF;
    }

    /** Reads an unsigned big-endian 32-bit value (0..2^32-1). */
    public static long getU32(ByteBuffer buf, int index) {
        return ((int) INT.get(buf, index)) & 0xFFFF_FFFFL;
    }

    /** Reads a big-endian 32-bit value as a Java int (bit pattern preserved). */
    public static int getI32(ByteBuffer buf, int index) {
        return (int) INT.get(buf, index);
    }

    /** Reads a big-endian 64-bit value as a Java long (bit pattern preserved; a u64 above 2^63-1 is negative). */
    public static long getI64(ByteBuffer buf, int index) {
        return (long) LONG.get(buf, index);
    }

    /** Writes the low 8 bits of {@code value}. */
    public static void putU8(ByteBuffer buf, int index, int value) {
        buf.put(index, (byte) value);
    }

    /** Writes the low 16 bits of {@code value}, big-endian. */
    public static void putU16(ByteBuffer buf, int index, int value) {
        SHORT.set(buf, index, (short) value);
    }

    /** Writes the low 32 bits of {@code value}, big-endian. */
    public static void putU32(ByteBuffer buf, int index, long value) {
        INT.set(buf, index, (int) value);
    }

    /** Writes {@code value}, big-endian. */
    public static void putI32(ByteBuffer buf, int index, int value) {
        INT.set(buf, index, value);
    }

    /** Writes {@code value}, big-endian. */
    public static void putI64(ByteBuffer buf, int index, long value) {
        LONG.set(buf, index, value);
    }
}
