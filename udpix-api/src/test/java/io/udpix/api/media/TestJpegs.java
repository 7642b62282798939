package io.udpix.api.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real JPEGs for the media tests: written by the JDK's encoder from seeded random pictures. */
final class TestJpegs {
    private TestJpegs() {
    }

    /** A picture of random rectangles (so it compresses like something), from {@code seed}. */
    static BufferedImage picture(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < 40; i++) {
                g.setColor(new Color(random.nextInt(0xFFFFFF)));
                g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width / 2 + 1),
                        1 + random.nextInt(height / 2 + 1));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** {@code image} as a baseline (or progressive) JPEG from the JDK's writer. */
    static byte[] jpeg(BufferedImage image, int quality, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            } else {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            return out.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    /** A baseline JPEG of a seeded picture. */
    static byte[] jpeg(int width, int height, long seed) throws IOException {
        return jpeg(picture(width, height, seed), 80, false);
    }

    /**
     * {@code jpeg} with an EXIF APP1 segment right after its SOI that holds {@code thumbnail} (a whole JPEG, SOI to
     * EOI) as IFD1's JPEGInterchangeFormat, the way cameras store their preview (EXIF 2.3, section 4.5.8).
     */
    static byte[] withExifThumbnail(byte[] jpeg, byte[] thumbnail) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        writeBytes(tiff, 'M', 'M', 0, 0x2A);            // big-endian TIFF header
        writeInt(tiff, 8);                               // IFD0 at 8
        writeShort(tiff, 0);                             // IFD0: no entries
        writeInt(tiff, 14);                              // next IFD (IFD1) at 14
        writeShort(tiff, 2);                             // IFD1: two entries
        int thumbnailOffset = 14 + 2 + 2 * 12 + 4;
        writeShort(tiff, 0x0201);                        // JPEGInterchangeFormat, LONG, 1, offset
        writeShort(tiff, 4);
        writeInt(tiff, 1);
        writeInt(tiff, thumbnailOffset);
        writeShort(tiff, 0x0202);                        // JPEGInterchangeFormatLength, LONG, 1, length
        writeShort(tiff, 4);
        writeInt(tiff, 1);
        writeInt(tiff, thumbnail.length);
        writeInt(tiff, 0);                               // no further IFD
        tiff.writeBytes(thumbnail);
        byte[] body = tiff.toByteArray();
        int segmentLength = 2 + 6 + body.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        writeShort(out, segmentLength);
        writeBytes(out, 'E', 'x', 'i', 'f', 0, 0);
        out.writeBytes(body);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void writeBytes(ByteArrayOutputStream out, int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        writeShort(out, v >>> 16);
        writeShort(out, v & 0xFFFF);
    }
}
