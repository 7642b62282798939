package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * FRAGMENT (type 0x21): one piece of one frame of a frame stream. Ack-eliciting, partially reliable: the sender
 * repeats a lost fragment only while it can still arrive before the frame's deadline. docs/PROTOCOL.md section 4.13.
 *
 * <pre>
 *  0      1            5              9       10                     18             22         24         26
 *  +------+------------+--------------+-------+----------------------+--------------+----------+----------+
 *  | 0x21 | streamId   | frameNumber  | flags | capture us u64       | frameLength  | fragment | fragment |
 *  |      | u32        | u32          | u8    | (sender clock)       | u32 = L      | size u16 | index u16|
 *  |      |            |              |       | 0..2^63-1            | 1..2^31-1    | = F >= 1 | = i      |
 *  +------+------------+--------------+-------+----------------------+--------------+----------+----------+
 *  26           28
 *  +------------+--------------------------+
 *  | dataLength | data (D bytes: frame     |
 *  | u16 = D    | bytes [i*F, i*F + D))    |
 *  +------------+--------------------------+
 * </pre>
 *
 * <p>Fragment {@code i} covers frame bytes {@code [i*F, min((i+1)*F, L))}; the frame has {@code ceil(L/F) <= 65536}
 * fragments, so {@code i < ceil(L/F)} and {@code D} equals that range's length (checked). Flags: bit 0
 * {@link #FLAG_RETRANSMISSION}; receivers ignore unknown bits. Total length {@code 28 + D}.
 */
public final class FragmentFrame extends StreamDataFrame {

    /** Flag bit: this fragment was sent before (a repair). */
    public static final int FLAG_RETRANSMISSION = 0x01;
    /** Offset of the u16 fragment index. */
    public static final int FRAGMENT_INDEX_OFFSET = 24;
    /** Offset of the u16 data length. */
    public static final int DATA_LENGTH_OFFSET = 26;
    /** Frame length before the data; also the data's offset relative to the frame. */
    public static final int HEADER_LENGTH = 28;

    /** Points this flyweight at the frame's type byte; returns this. */
    public FragmentFrame wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** True when the retransmission flag is set. */
    public boolean retransmission() {
        return (flags() & FLAG_RETRANSMISSION) != 0;
    }

    /** The fragment index i. */
    public int fragmentIndex() {
        return BigEndian.getU16(buffer, offset + FRAGMENT_INDEX_OFFSET);
    }

    /** Number of data bytes. */
    public int dataLength() {
        return BigEndian.getU16(buffer, offset + DATA_LENGTH_OFFSET);
    }

    /** Absolute buffer index of the first data byte. */
    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** This frame's length: {@code 28 + dataLength}. */
    public int length() {
        return HEADER_LENGTH + dataLength();
    }

    /**
     * Writes the type byte and the fields of a FRAGMENT at {@code offset}; returns the absolute index where the
     * caller copies the data bytes, of which there are {@link #fragmentDataLength}{@code (L, F, i)}. Allocates
     * nothing. Throws IllegalArgumentException when a value breaks a rule of {@link #check} or the frame does not
     * fit below the buffer's limit.
     */
    public static int writeHeader(ByteBuffer buf, int offset, long streamId, long frameNumber, int flags,
                                  long captureUs, int frameLength, int fragmentSize, int fragmentIndex) {
        requirePrefix(streamId, frameNumber, flags, captureUs, frameLength, fragmentSize);
        int count = fragmentCount(frameLength, fragmentSize);
        if (fragmentIndex < 0 || fragmentIndex >= count) {
            throw new IllegalArgumentException("fragmentIndex " + fragmentIndex + " is outside 0.." + (count - 1)
                    + " for a " + frameLength + "-byte frame in " + fragmentSize + "-byte fragments");
        }
        int dataLength = fragmentDataLength(frameLength, fragmentSize, fragmentIndex);
        Bounds.requireRoom(buf, offset, HEADER_LENGTH + dataLength, "FRAGMENT frame");
        putPrefix(buf, offset, FrameType.FRAGMENT, streamId, frameNumber, flags, captureUs, frameLength, fragmentSize);
        BigEndian.putU16(buf, offset + FRAGMENT_INDEX_OFFSET, fragmentIndex);
        BigEndian.putU16(buf, offset + DATA_LENGTH_OFFSET, dataLength);
        return offset + HEADER_LENGTH;
    }

    /**
     * Validates a FRAGMENT at {@code offset} ending at or before {@code limit}: type byte, capture time
     * 0..2^63-1, frame length 1..2^31-1, fragment size at least 1 with at most 65,536 fragments, index below the
     * fragment count, data length equal to the fragment's length, data inside. Flags are not judged. Returns
     * {@code 28 + D} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        if (!checkPrefix(buf, offset, limit, FrameType.FRAGMENT, HEADER_LENGTH)) {
            return -1;
        }
        long frameLength = BigEndian.getU32(buf, offset + FRAME_LENGTH_OFFSET);
        int fragmentSize = BigEndian.getU16(buf, offset + FRAGMENT_SIZE_OFFSET);
        int index = BigEndian.getU16(buf, offset + FRAGMENT_INDEX_OFFSET);
        int dataLength = BigEndian.getU16(buf, offset + DATA_LENGTH_OFFSET);
        if (index >= fragmentCount(frameLength, fragmentSize)
                || dataLength != fragmentDataLength(frameLength, fragmentSize, index)
                || !Bounds.fits(buf, offset, limit, HEADER_LENGTH + dataLength)) {
            return -1;
        }
        return HEADER_LENGTH + dataLength;
    }
}
