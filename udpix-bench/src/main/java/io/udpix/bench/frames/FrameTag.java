package io.udpix.bench.frames;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The measuring tag scenario 7 puts inside every JPEG it streams: a COM segment (JPEG marker 0xFFFE, ITU T.81
 * B.2.4.5) right after SOI holding the frame's sequence number, its capture time (microseconds since the epoch,
 * the host's realtime clock, which every network namespace shares) and a SHA-256 of the whole tagged frame taken
 * with the hash field zeroed. A decoder skips COM segments, so the frame stays a valid JPEG; a receiver that
 * finds the tag knows which frame it holds, when it was captured, and whether every byte is the one sent.
 *
 * <p>Layout of the COM payload (53 bytes, big-endian): magic "UDPIXFRM" (8) | version 1 (1) | sequence u32 |
 * capture us u64 | SHA-256 (32). The segment is FF FE, length 55, payload.
 */
public final class FrameTag {
    static final byte[] MAGIC = "UDPIXFRM".getBytes(StandardCharsets.US_ASCII);
    static final int PAYLOAD_BYTES = 8 + 1 + 4 + 8 + 32;
    /** Bytes the tag adds to a JPEG: marker (2), length (2) and payload. */
    public static final int SEGMENT_BYTES = 4 + PAYLOAD_BYTES;
    private static final int HASH_OFFSET = 2 + 4 + 8 + 1 + 4 + 8; // from the frame's start: SOI, COM header...
    private static final int VERSION = 1;

    private FrameTag() {
    }

    /** Result of reading a frame's tag: {@code tagged} false when the frame has none (e.g. RTP/JPEG rebuilt it). */
    public record Reading(boolean tagged, long sequence, long captureUs, boolean intact) {
        static final Reading UNTAGGED = new Reading(false, -1, -1, false);
    }

    /**
     * A copy of {@code jpeg} with the tag inserted after its SOI.
     *
     * @throws IllegalArgumentException if {@code jpeg} does not start with SOI (0xFFD8)
     */
    public static byte[] tag(byte[] jpeg, long sequence, long captureUs, MessageDigest sha256) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            throw new IllegalArgumentException("not a JPEG (no SOI marker at its start); give JPEG files");
        }
        byte[] out = new byte[jpeg.length + SEGMENT_BYTES];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.put((byte) 0xff).put((byte) 0xd8).put((byte) 0xff).put((byte) 0xfe).putShort((short) (PAYLOAD_BYTES + 2));
        b.put(MAGIC).put((byte) VERSION).putInt((int) sequence).putLong(captureUs);
        // Hash field stays zero while hashing; then the hash is written into it.
        System.arraycopy(jpeg, 2, out, 2 + SEGMENT_BYTES, jpeg.length - 2);
        sha256.reset();
        sha256.update(out);
        System.arraycopy(sha256.digest(), 0, out, HASH_OFFSET, 32);
        return out;
    }

    /** Reads and checks the tag of {@code frame[offset, offset+length)}; never throws on any bytes. */
    public static Reading read(byte[] frame, int offset, int length, MessageDigest sha256) {
        if (length < 2 + SEGMENT_BYTES || (frame[offset] & 0xff) != 0xff || (frame[offset + 1] & 0xff) != 0xd8
                || (frame[offset + 2] & 0xff) != 0xff || (frame[offset + 3] & 0xff) != 0xfe
                || (((frame[offset + 4] & 0xff) << 8) | (frame[offset + 5] & 0xff)) != PAYLOAD_BYTES + 2
                || !Arrays.equals(frame, offset + 6, offset + 14, MAGIC, 0, 8)
                || frame[offset + 14] != VERSION) {
            return Reading.UNTAGGED;
        }
        ByteBuffer b = ByteBuffer.wrap(frame, offset + 15, 12);
        long sequence = b.getInt() & 0xffffffffL;
        long captureUs = b.getLong();
        byte[] expected = Arrays.copyOfRange(frame, offset + HASH_OFFSET, offset + HASH_OFFSET + 32);
        sha256.reset();
        sha256.update(frame, offset, HASH_OFFSET);
        sha256.update(new byte[32]);
        sha256.update(frame, offset + HASH_OFFSET + 32, length - HASH_OFFSET - 32);
        boolean intact = MessageDigest.isEqual(expected, sha256.digest());
        return new Reading(true, sequence, captureUs, intact);
    }

    /** A SHA-256 instance (every JDK has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256; every Java SE JDK must have it", e);
        }
    }
}
