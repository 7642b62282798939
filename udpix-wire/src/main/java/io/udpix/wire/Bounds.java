package io.udpix.wire;

import java.nio.ByteBuffer;

/** Range checks shared by the {@code check} methods, written so that no argument combination can throw. */
final class Bounds {

    private Bounds() {
    }

    /**
     * True when {@code [offset, offset + neededBytes)} lies inside {@code [offset, limit)} and {@code limit} is
     * within the buffer's limit. Overflow-safe: {@code limit - offset} is only computed once both are known to be
     * in {@code 0..buf.limit()}.
     */
    static boolean fits(ByteBuffer buf, int offset, int limit, int neededBytes) {
        return buf != null
                && offset >= 0
                && offset <= limit
                && limit <= buf.limit()
                && neededBytes >= 0
                && neededBytes <= limit - offset;
    }

    /** Throws a local-caller {@link IllegalArgumentException} when {@code value} is outside {@code 0..max}. */
    static void requireRange(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0.." + max
                    + "; pass a value that fits the wire field");
        }
    }

    /** Throws when {@code [offset, offset + lengthBytes)} does not fit below the buffer's limit. */
    static void requireRoom(ByteBuffer buf, int offset, int lengthBytes, String what) {
        if (offset < 0 || lengthBytes < 0 || offset > buf.limit() - lengthBytes) {
            throw new IllegalArgumentException(what + " needs " + lengthBytes + " bytes at index " + offset
                    + " but the buffer's limit is " + buf.limit() + "; give it a larger buffer or less content");
        }
    }
}
