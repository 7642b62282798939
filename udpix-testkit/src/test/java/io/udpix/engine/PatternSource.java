package io.udpix.engine;

import io.udpix.engine.transfer.TransferSource;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/** Test content of any size without storing it: byte i is a hash of i, so every offset is checkable. */
final class PatternSource implements TransferSource {
    private final long sizeBytes;

    PatternSource(long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    static byte at(long i) {
        long h = (i >>> 3) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (byte) (h >>> ((i & 7) * 8));
    }

    private static long word(long w) {
        long h = w * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    @Override
    public int read(long offset, ByteBuffer dst) {
        int n = (int) Math.max(0, Math.min(dst.remaining(), sizeBytes - offset));
        int i = 0;
        // Byte by byte up to a word boundary, then whole little-endian words: the same bytes as at(), faster.
        while (i < n && ((offset + i) & 7) != 0) {
            dst.put(at(offset + i++));
        }
        java.nio.ByteOrder order = dst.order();
        dst.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (n - i >= 8) {
            dst.putLong(word((offset + i) >>> 3));
            i += 8;
        }
        dst.order(order);
        while (i < n) {
            dst.put(at(offset + i++));
        }
        return n;
    }

    /** The SHA-256 of the whole content, computed by streaming through it once. */
    byte[] sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            for (long off = 0; off < sizeBytes; ) {
                buf.clear();
                int n = read(off, buf);
                buf.flip();
                md.update(buf);
                off += n;
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
