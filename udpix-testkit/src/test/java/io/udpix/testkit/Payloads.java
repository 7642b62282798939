package io.udpix.testkit;

import java.nio.ByteBuffer;

/** Test datagrams: an 8-byte sequence number, then bytes derived from it, so corruption is detectable. */
final class Payloads {
    private Payloads() {
    }

    /** A hash of the whole sequence number, so a flip anywhere in it changes every pattern byte. */
    static long patternKey(long seq) {
        return SimRandom.mix64(seq ^ 0x5A5A5A5AL);
    }

    static byte patternByte(long key, int offset) {
        return (byte) ((key >>> ((offset & 7) * 8)) + offset);
    }

    /** Fills dst with datagram {@code seq} of {@code sizeBytes} (>= 8) and flips it for reading. */
    static void write(ByteBuffer dst, long seq, int sizeBytes) {
        dst.clear();
        dst.putLong(seq);
        long key = patternKey(seq);
        for (int i = 8; i < sizeBytes; i++) {
            dst.put(patternByte(key, i));
        }
        dst.flip();
    }

    /** The sequence number of a datagram (its first 8 bytes, as written; may be corrupted). */
    static long seq(ByteBuffer datagram) {
        return datagram.getLong(datagram.position());
    }

    /**
     * Compares a received datagram with what {@code seq} should contain: returns the number of differing bytes
     * (0 = intact); {@code firstDiff[0]} receives the XOR of the first differing byte.
     */
    static int differingBytes(ByteBuffer datagram, long seq, int[] firstDiff) {
        int diffs = 0;
        int p = datagram.position();
        int n = datagram.remaining();
        long key = patternKey(seq);
        for (int i = 0; i < n; i++) {
            byte expected = i < 8 ? (byte) (seq >>> (56 - 8 * i)) : patternByte(key, i);
            byte actual = datagram.get(p + i);
            if (expected != actual) {
                if (diffs == 0 && firstDiff != null) {
                    firstDiff[0] = (expected ^ actual) & 0xff;
                }
                diffs++;
            }
        }
        return diffs;
    }
}
