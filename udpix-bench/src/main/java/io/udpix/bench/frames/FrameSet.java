package io.udpix.bench.frames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JPEGs a frame-stream run sends, in name order (made by GenImages), looping: frame number n is image
 * n mod size. Also an index from each image's entropy-coded data (after the SOS header) to its position, for the
 * one peer that does not carry the JPEG's bytes as they are: RTP/JPEG (RFC 2435) sends only the scan data and
 * the quantization tables and the receiver rebuilds the headers, so the tag's COM segment does not survive; the
 * scan data does, byte for byte, and identifies the image.
 */
public final class FrameSet {
    /** At most this many images are loaded (the bench needs a few hundred). */
    public static final int MAX_IMAGES = 4096;
    private final byte[][] images;
    private final Map<ByteBuffer, Integer> byScanHash = new HashMap<>();

    private FrameSet(byte[][] images) {
        this.images = images;
        MessageDigest sha = FrameTag.sha256();
        for (int i = 0; i < images.length; i++) {
            byte[] h = scanHash(images[i], 0, images[i].length, sha);
            if (h == null) {
                throw new IllegalArgumentException("image " + i + " has no scan (no SOS marker): not a baseline JPEG");
            }
            byScanHash.putIfAbsent(ByteBuffer.wrap(h), i);
        }
    }

    /** The JPEGs of {@code dir} (files ending .jpg, in name order). */
    public static FrameSet load(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().limit(MAX_IMAGES).toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no .jpg files in " + dir + "; make them with io.udpix.bench.peers.GenImages");
        }
        byte[][] images = new byte[files.size()][];
        for (int i = 0; i < images.length; i++) {
            images[i] = Files.readAllBytes(files.get(i));
        }
        return new FrameSet(images);
    }

    /** A set of the given images (tests). */
    public static FrameSet of(byte[]... images) {
        return new FrameSet(images.clone());
    }

    public int size() {
        return images.length;
    }

    /** The image frame number {@code n} shows. */
    public byte[] image(long n) {
        return images[(int) (n % images.length)];
    }

    /** The largest image, in bytes. */
    public int maxBytes() {
        int max = 0;
        for (byte[] i : images) {
            max = Math.max(max, i.length);
        }
        return max;
    }

    /** {width, height} of the first image, from its SOF marker; {0, 0} if it has none. */
    public int[] dimensions() {
        byte[] j = images[0];
        int i = 2;
        while (i + 8 < j.length && (j[i] & 0xff) == 0xff) {
            int m = j[i + 1] & 0xff;
            int segment = ((j[i + 2] & 0xff) << 8) | (j[i + 3] & 0xff);
            if (m >= 0xc0 && m <= 0xc3) {
                int height = ((j[i + 5] & 0xff) << 8) | (j[i + 6] & 0xff);
                int width = ((j[i + 7] & 0xff) << 8) | (j[i + 8] & 0xff);
                return new int[] {width, height};
            }
            i += 2 + segment;
        }
        return new int[] {0, 0};
    }

    /** Position of the image whose scan data equals that of {@code jpeg[off, off+len)}, or -1. */
    public int indexOfScan(byte[] jpeg, int off, int len, MessageDigest sha) {
        byte[] h = scanHash(jpeg, off, len, sha);
        if (h == null) {
            return -1;
        }
        Integer i = byScanHash.get(ByteBuffer.wrap(h));
        return i == null ? -1 : i;
    }

    /**
     * SHA-256 of the bytes from the end of the first SOS header up to and including EOI (a trailing EOI is
     * added when missing, as RTP/JPEG depayloaders do), or null if there is no SOS.
     */
    static byte[] scanHash(byte[] jpeg, int off, int len, MessageDigest sha) {
        int scan = scanStart(jpeg, off, len);
        if (scan < 0) {
            return null;
        }
        int end = off + len;
        sha.reset();
        sha.update(jpeg, scan, end - scan);
        if (!(len >= 2 && (jpeg[end - 2] & 0xff) == 0xff && (jpeg[end - 1] & 0xff) == 0xd9)) {
            sha.update(new byte[] {(byte) 0xff, (byte) 0xd9});
        }
        return sha.digest();
    }

    /** Offset of the first byte after the SOS segment, or -1; walks marker segments by length, never throws. */
    static int scanStart(byte[] jpeg, int off, int len) {
        int end = off + len;
        if (len < 4 || (jpeg[off] & 0xff) != 0xff || (jpeg[off + 1] & 0xff) != 0xd8) {
            return -1;
        }
        int i = off + 2;
        while (i + 3 < end) {
            if ((jpeg[i] & 0xff) != 0xff) {
                return -1;
            }
            int m = jpeg[i + 1] & 0xff;
            if (m == 0xff) {
                i++;
                continue;
            }
            int segment = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (segment < 2 || i + 2 + segment > end) {
                return -1;
            }
            if (m == 0xda) {
                return i + 2 + segment;
            }
            i += 2 + segment;
        }
        return -1;
    }
}
