package io.udpix.api.media;

/**
 * JPEG marker constants and a header walk (ITU-T T.81 annex B: every marker is 0xFF then a code, optionally after
 * 0xFF fill bytes (B.1.1.2); all but SOI, EOI, TEM and RST0..7 are followed by a 2-byte big-endian length that
 * counts itself (B.1.1.4)).
 */
final class JpegMarkers {
    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    static final int TEM = 0x01;
    static final int RST0 = 0xD0;
    static final int RST7 = 0xD7;

    private JpegMarkers() {
    }

    /** True for the markers that stand alone, without a length (T.81 table B.1): TEM, RST0..7 (SOI/EOI apart). */
    static boolean standalone(int code) {
        return code == TEM || (code >= RST0 && code <= RST7);
    }

    /** True for a start-of-frame marker (SOF0..SOF15 without DHT C4, JPG C8, DAC CC), which holds the size. */
    static boolean startOfFrame(int code) {
        return code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
    }

    /**
     * Width and height from the first SOF header of the first {@code length} bytes, packed as
     * {@code width << 32 | height}; -1 when there is no SOI, no SOF before the first scan, or the bytes end first.
     * Never throws.
     */
    static long dimensions(byte[] jpeg, int length) {
        if (length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
            return -1;
        }
        int i = 2;
        while (i < length) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                return -1; // only markers may follow one another before the first scan
            }
            while (i < length && (jpeg[i] & 0xFF) == 0xFF) {
                i++; // fill bytes
            }
            if (i >= length) {
                return -1;
            }
            int code = jpeg[i++] & 0xFF;
            if (standalone(code)) {
                continue;
            }
            if (code == EOI || code == SOS || code == SOI || code == 0 || i + 2 > length) {
                return -1;
            }
            int segmentLength = ((jpeg[i] & 0xFF) << 8) | (jpeg[i + 1] & 0xFF);
            if (segmentLength < 2) {
                return -1;
            }
            if (startOfFrame(code)) {
                if (i + 7 > length) {
                    return -1;
                }
                // Segment: length u16, precision u8, height (lines) u16, width (samples per line) u16 (T.81 B.2.2).
                long height = ((jpeg[i + 3] & 0xFF) << 8) | (jpeg[i + 4] & 0xFF);
                long width = ((jpeg[i + 5] & 0xFF) << 8) | (jpeg[i + 6] & 0xFF);
                return width << 32 | height;
            }
            i += segmentLength;
        }
        return -1;
    }

    /** The width from {@link #dimensions}'s result, or -1. */
    static int width(long dimensions) {
        return dimensions < 0 ? -1 : (int) (dimensions >>> 32);
    }

    /** The height from {@link #dimensions}'s result, or -1. */
    static int height(long dimensions) {
        return dimensions < 0 ? -1 : (int) (dimensions & 0xFFFF_FFFFL);
    }
}
