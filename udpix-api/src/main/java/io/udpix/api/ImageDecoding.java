package io.udpix.api;

import io.udpix.api.media.JpegCodec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * {@link ReceivedItem#decodeImage()}: JPEG through {@link JpegCodec} (TurboJPEG when installed, else ImageIO),
 * everything else through ImageIO with whatever plug-ins are on the class path (TwelveMonkeys' WebP and CMYK JPEG
 * readers come with udpix-api).
 */
final class ImageDecoding {
    /** Made on first use: loading TurboJPEG costs a few milliseconds that a server without decodes never pays. */
    private static final class Jpeg {
        static final JpegCodec CODEC = JpegCodec.create();
    }

    private ImageDecoding() {
    }

    /** Decodes {@code bytes} (in memory) or the file at {@code path}; {@code what} names the item in errors. */
    static BufferedImage decode(byte[] bytes, Path path, String what, String mediaType) throws UdpixException {
        byte[] header = new byte[MediaTypes.SNIFF_BYTES];
        int headerBytes;
        try {
            if (bytes != null) {
                headerBytes = Math.min(bytes.length, header.length);
                System.arraycopy(bytes, 0, header, 0, headerBytes);
            } else {
                try (InputStream in = Files.newInputStream(path)) {
                    headerBytes = in.readNBytes(header, 0, header.length);
                }
            }
            if (isJpeg(header, headerBytes)) {
                byte[] jpeg = bytes != null ? bytes : Files.readAllBytes(path);
                return Jpeg.CODEC.decode(jpeg);
            }
            BufferedImage image;
            try (InputStream in = bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(path)) {
                image = ImageIO.read(in);
            }
            if (image == null) {
                throw new UdpixException(UdpixException.Kind.INVALID_ITEM, what + " is not an image ImageIO can read "
                        + "(media type '" + mediaType + "', first bytes " + hex(header, headerBytes) + "); for another "
                        + "image format put an ImageIO plug-in for it on the class path");
            }
            return image;
        } catch (UdpixException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO readers throw IIOException and, on some broken inputs, runtime exceptions.
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM, -1, what + " does not decode as an image: "
                    + e.getMessage(), e);
        }
    }

    private static boolean isJpeg(byte[] header, int n) {
        return n >= 3 && (header[0] & 0xFF) == 0xFF && (header[1] & 0xFF) == 0xD8 && (header[2] & 0xFF) == 0xFF;
    }

    private static String hex(byte[] header, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(n, 8); i++) {
            text.append(String.format("%02x", header[i] & 0xFF));
        }
        return n == 0 ? "(empty)" : text.toString();
    }
}
