package io.udpix.engine.connection;

/**
 * Which packet numbers were already accepted, for the last {@link #WINDOW_PACKETS} numbers below the largest
 * (a bitmap, as IPsec's anti-replay window, RFC 4303 section 3.4.3). Checked after the AEAD tag verified, so only
 * genuine packets move it: a replayed copy of a genuine packet, or one older than the window, is dropped.
 */
final class ReplayWindow {
    /** Packet numbers tracked below the largest seen. */
    static final int WINDOW_PACKETS = 2048;

    private final long[] bits = new long[WINDOW_PACKETS / 64];
    private long largest = -1;

    /** True when {@code pn} is new and recent enough; records it. */
    boolean accept(long pn) {
        if (pn > largest) {
            long shift = largest < 0 ? WINDOW_PACKETS : pn - largest;
            if (shift >= WINDOW_PACKETS) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long p = largest + 1; p < pn; p++) {
                    clear(p);
                }
            }
            largest = pn;
            set(pn);
            return true;
        }
        if (largest - pn >= WINDOW_PACKETS || isSet(pn)) {
            return false;
        }
        set(pn);
        return true;
    }

    private int index(long pn) {
        return (int) ((pn % WINDOW_PACKETS) >>> 6);
    }

    private void set(long pn) {
        bits[index(pn)] |= 1L << (pn & 63);
    }

    private void clear(long pn) {
        bits[index(pn)] &= ~(1L << (pn & 63));
    }

    private boolean isSet(long pn) {
        return (bits[index(pn)] & (1L << (pn & 63))) != 0;
    }
}
