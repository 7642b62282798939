package io.udpix.plain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Recognises what a plain datagram (or a completed item) holds: an image by its signature, or a JSON document.
 *
 * <p>Images need their full signature and at least {@link #MIN_IMAGE_BYTES} bytes. No real image file is that
 * small, and the floor keeps a length header from being taken for an image: the 8-byte little-endian header
 * for 19,778 bytes starts with "BM" and the one for 16,767,231 bytes with the JPEG marker FF D8 FF.
 *
 * <p>JSON counts only as an object or an array, in strict UTF-8, with nothing but whitespace after it. Bare
 * numbers, strings, {@code true}/{@code false}/{@code null} are refused because a length header can parse as
 * one (the 4-byte header {@code 31 32 33 34} is the JSON number 1234), and the tutorial only ever sends
 * {@code json.dumps} of lists and dicts. An object or array always starts with '{' or '[' and ends with '}' or
 * ']', so as a length header its bytes would declare at least 2^56 (8 bytes) or about 1.5 GB (4 bytes, no
 * padding), which no default limit accepts.
 */
public final class ItemSniffer {

    /** Datagrams shorter than this are never images (real ones are larger; headers are 4 or 8 bytes). */
    public static final int MIN_IMAGE_BYTES = 16;

    /** Extension for an item whose content is not recognised. */
    public static final String UNKNOWN_EXTENSION = "bin";

    // Thread-safe once built; strict by default (no comments, no single quotes, no NaN).
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ItemSniffer() {
    }

    /** The image extension ({@code jpg png gif bmp webp}) for {@code data}, or null when it is not an image. */
    public static String imageExtension(byte[] data) {
        return imageExtension(data, 0, data.length);
    }

    /** The image extension for {@code data[offset, offset + length)}, or null when it is not an image. */
    public static String imageExtension(byte[] data, int offset, int length) {
        if (length < MIN_IMAGE_BYTES) {
            return null;
        }
        int b0 = data[offset] & 0xFF;
        int b1 = data[offset + 1] & 0xFF;
        int b2 = data[offset + 2] & 0xFF;
        if (b0 == 0xFF && b1 == 0xD8 && b2 == 0xFF) {
            return "jpg";
        }
        if (startsWith(data, offset, PNG)) {
            return "png";
        }
        if (b0 == 'G' && b1 == 'I' && b2 == 'F' && data[offset + 3] == '8'
                && (data[offset + 4] == '7' || data[offset + 4] == '9') && data[offset + 5] == 'a') {
            return "gif";
        }
        if (b0 == 'B' && b1 == 'M' && length >= 18 && isBmpInfoHeaderSize(littleEndianInt(data, offset + 14))) {
            return "bmp";
        }
        if (b0 == 'R' && b1 == 'I' && b2 == 'F' && data[offset + 3] == 'F' && data[offset + 8] == 'W'
                && data[offset + 9] == 'E' && data[offset + 10] == 'B' && data[offset + 11] == 'P'
                && data[offset + 12] == 'V' && data[offset + 13] == 'P' && data[offset + 14] == '8') {
            return "webp";
        }
        return null;
    }

    /** The extension to store {@code data} under: an image's, {@code json} for a JSON document, else {@code bin}. */
    public static String extensionOf(byte[] data, int offset, int length) {
        String image = imageExtension(data, offset, length);
        if (image != null) {
            return image;
        }
        return isJsonDocument(data, offset, length) ? "json" : UNKNOWN_EXTENSION;
    }

    /** True when {@code data} is exactly one JSON object or array in valid UTF-8. */
    public static boolean isJsonDocument(byte[] data) {
        return isJsonDocument(data, 0, data.length);
    }

    /** True when {@code data[offset, offset + length)} is exactly one JSON object or array in valid UTF-8. */
    public static boolean isJsonDocument(byte[] data, int offset, int length) {
        int first = firstNonWhitespace(data, offset, length);
        // Cheap rejection first: headers, images and garbage never reach the parser.
        if (first < 0 || (data[first] != '{' && data[first] != '[')) {
            return false;
        }
        // Jackson does not reject every malformed UTF-8 sequence (overlong forms, surrogates) by itself.
        if (!isValidUtf8(data, offset, length)) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(data, offset, length)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
                return false;
            }
            parser.skipChildren();
            // A second root value ("{} {}") or trailing bytes mean the datagram is not one document.
            return parser.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** True when the bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, max U+10FFFF). */
    public static boolean isValidUtf8(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = data[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int continuationBytes;
            if (b >= 0xC2 && b <= 0xDF) {
                continuationBytes = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                continuationBytes = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                continuationBytes = 3;
            } else {
                return false;
            }
            if (i + continuationBytes >= end) {
                return false;
            }
            int c1 = data[i + 1] & 0xFF;
            // RFC 3629 section 4: the second byte's range is narrower after E0, ED, F0 and F4.
            if ((b == 0xE0 && c1 < 0xA0) || (b == 0xED && c1 > 0x9F) || (b == 0xF0 && c1 < 0x90)
                    || (b == 0xF4 && c1 > 0x8F)) {
                return false;
            }
            for (int k = 1; k <= continuationBytes; k++) {
                if ((data[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += continuationBytes + 1;
        }
        return true;
    }

    private static int firstNonWhitespace(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int littleEndianInt(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8 | (data[offset + 2] & 0xFF) << 16
                | (data[offset + 3] & 0xFF) << 24;
    }

    // The sizes of the DIB headers that follow the 14-byte BMP file header (BITMAPCOREHEADER .. BITMAPV5HEADER).
    private static boolean isBmpInfoHeaderSize(int size) {
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64 || size == 108
                || size == 124;
    }
}
