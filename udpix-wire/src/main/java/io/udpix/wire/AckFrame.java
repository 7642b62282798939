package io.udpix.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * ACK (type 0x02): acknowledges packet numbers as descending ranges, with RFC 9000 section 19.3.1 semantics but
 * fixed-width fields. Not ack-eliciting.
 *
 * <pre>
 *  0      1                     5                9          10                 14
 *  +------+---------------------+----------------+----------+------------------+
 *  | 0x02 | largestAcknowledged | ackDelayUs u32 | range    | firstRange u32   |
 *  |      | u32                 |                | Count u8 |                  |
 *  +------+---------------------+----------------+----------+------------------+
 *  14 + 8*i, for i in 0..rangeCount-1:
 *  +------------------+------------------+
 *  | gap u32          | rangeLength u32  |
 *  +------------------+------------------+
 * </pre>
 *
 * <p>The first range acknowledges {@code [largest - firstRange, largest]}. Each further range lies below the
 * previous range's smallest packet number {@code s}: {@code gap + 1} numbers are skipped (unacknowledged), so the
 * range's largest is {@code s - gap - 2} and it acknowledges {@code rangeLength + 1} numbers down from there
 * (RFC 9000 section 19.3.1). {@link #check} rejects ranges reaching below packet number 0.
 */
public final class AckFrame {

    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the u32 largest acknowledged packet number. */
    public static final int LARGEST_ACKNOWLEDGED_OFFSET = 1;
    /** Offset of the u32 time between receiving the largest packet and sending this ACK, microseconds. */
    public static final int ACK_DELAY_US_OFFSET = 5;
    /** Offset of the u8 count of ranges after the first. */
    public static final int RANGE_COUNT_OFFSET = 9;
    /** Offset of the u32 first range (packets below the largest also acknowledged). */
    public static final int FIRST_RANGE_OFFSET = 10;
    /** Offset of the first (gap, rangeLength) pair. */
    public static final int RANGES_OFFSET = 14;
    /** Bytes per (gap, rangeLength) pair. */
    public static final int RANGE_ENTRY_LENGTH = 8;
    /** Frame length without additional ranges. */
    public static final int HEADER_LENGTH = RANGES_OFFSET;
    /** Most additional ranges per frame. */
    public static final int MAX_RANGES = 64;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame's type byte; returns this. */
    public AckFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** Writes the type byte; returns this. */
    public AckFrame writeType() {
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, FrameType.ACK);
        return this;
    }

    /** Largest acknowledged packet number, 0..2^32-1. */
    public long largestAcknowledged() {
        return BigEndian.getU32(buffer, offset + LARGEST_ACKNOWLEDGED_OFFSET);
    }

    /** Sets the largest acknowledged packet number (0..2^32-1); returns this. */
    public AckFrame largestAcknowledged(long largestAcknowledged) {
        Bounds.requireRange("largestAcknowledged", largestAcknowledged, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + LARGEST_ACKNOWLEDGED_OFFSET, largestAcknowledged);
        return this;
    }

    /** Ack delay in microseconds, 0..2^32-1. */
    public long ackDelayUs() {
        return BigEndian.getU32(buffer, offset + ACK_DELAY_US_OFFSET);
    }

    /** Sets the ack delay (0..2^32-1 microseconds); returns this. */
    public AckFrame ackDelayUs(long ackDelayUs) {
        Bounds.requireRange("ackDelayUs", ackDelayUs, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + ACK_DELAY_US_OFFSET, ackDelayUs);
        return this;
    }

    /** Number of ranges after the first (0..64 in a well-formed frame). */
    public int rangeCount() {
        return BigEndian.getU8(buffer, offset + RANGE_COUNT_OFFSET);
    }

    /** Sets the number of ranges after the first (0..64); returns this. */
    public AckFrame rangeCount(int rangeCount) {
        Bounds.requireRange("rangeCount", rangeCount, MAX_RANGES);
        BigEndian.putU8(buffer, offset + RANGE_COUNT_OFFSET, rangeCount);
        return this;
    }

    /** Packets below the largest also acknowledged: the first range's smallest is {@code largest - firstRange}. */
    public long firstRange() {
        return BigEndian.getU32(buffer, offset + FIRST_RANGE_OFFSET);
    }

    /** Sets the first range (0..2^32-1); returns this. */
    public AckFrame firstRange(long firstRange) {
        Bounds.requireRange("firstRange", firstRange, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + FIRST_RANGE_OFFSET, firstRange);
        return this;
    }

    /** The {@code i}-th gap (0 &lt;= i &lt; 64): unacknowledged numbers below the previous range, minus 1. */
    public long gap(int i) {
        return BigEndian.getU32(buffer, offset + gapOffset(i));
    }

    /** Sets the {@code i}-th gap (0..2^32-1); returns this. */
    public AckFrame gap(int i, long gap) {
        Bounds.requireRange("gap", gap, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + gapOffset(i), gap);
        return this;
    }

    /** The {@code i}-th range length (0 &lt;= i &lt; 64): acknowledged numbers below that gap, minus 1. */
    public long rangeLength(int i) {
        return BigEndian.getU32(buffer, offset + gapOffset(i) + Integer.BYTES);
    }

    /** Sets the {@code i}-th range length (0..2^32-1); returns this. */
    public AckFrame rangeLength(int i, long rangeLength) {
        Bounds.requireRange("rangeLength", rangeLength, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + gapOffset(i) + Integer.BYTES, rangeLength);
        return this;
    }

    /** This frame's length, from its range count. */
    public int length() {
        return length(rangeCount());
    }

    /** Frame length for {@code rangeCount} additional ranges: {@code 14 + 8 * rangeCount}. */
    public static int length(int rangeCount) {
        return HEADER_LENGTH + RANGE_ENTRY_LENGTH * rangeCount;
    }

    /** Offset of the {@code i}-th gap field relative to the frame start; the range length follows it. */
    public static int gapOffset(int i) {
        return RANGES_OFFSET + RANGE_ENTRY_LENGTH * Objects.checkIndex(i, MAX_RANGES);
    }

    /**
     * Validates an ACK at {@code offset} ending at or before {@code limit}: type byte, range count 0..64, all
     * ranges inside, and no range reaching below packet number 0. Returns the frame length or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!Bounds.fits(buf, offset, limit, HEADER_LENGTH) || BigEndian.getU8(buf, offset) != FrameType.ACK) {
            return -1;
        }
        int rangeCount = BigEndian.getU8(buf, offset + RANGE_COUNT_OFFSET);
        if (rangeCount > MAX_RANGES) {
            return -1;
        }
        int length = length(rangeCount);
        if (!Bounds.fits(buf, offset, limit, length)) {
            return -1;
        }
        // u32 fields in long arithmetic: no overflow is possible, and a negative result means "below packet 0".
        long smallest = BigEndian.getU32(buf, offset + LARGEST_ACKNOWLEDGED_OFFSET)
                - BigEndian.getU32(buf, offset + FIRST_RANGE_OFFSET);
        if (smallest < 0) {
            return -1;
        }
        for (int i = 0; i < rangeCount; i++) {
            int entry = offset + RANGES_OFFSET + RANGE_ENTRY_LENGTH * i;
            long largest = smallest - BigEndian.getU32(buf, entry) - 2;
            smallest = largest - BigEndian.getU32(buf, entry + Integer.BYTES);
            if (smallest < 0) {
                return -1;
            }
        }
        return length;
    }
}
