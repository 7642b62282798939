package io.udpix.api;

import java.util.Locale;
import java.util.Map;

/** Media types from file names and from the first bytes of content; enough to tell images from other files. */
public final class MediaTypes {
    /** The media type of content nothing more is known about. */
    public static final String OCTET_STREAM = "application/octet-stream";
    /** JSON (RFC 8259). */
    public static final String JSON = "application/json";
    /** How many leading bytes {@link #sniff} looks at. */
    public static final int SNIFF_BYTES = 16;

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("jpe", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("webp", "image/webp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            Map.entry("json", JSON),
            Map.entry("txt", "text/plain"),
            Map.entry("csv", "text/csv"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"));

    private MediaTypes() {
    }

    /** The media type for {@code fileName}'s extension, or {@link #OCTET_STREAM}. */
    public static String forName(String fileName) {
        if (fileName == null) {
            return OCTET_STREAM;
        }
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }

    /** Whether {@code fileName} has an image extension (png, jpg, gif, bmp, webp, tiff...). */
    public static boolean isImageName(String fileName) {
        return isImage(forName(fileName));
    }

    /** Whether {@code mediaType} is an {@code image/...} type. */
    public static boolean isImage(String mediaType) {
        return mediaType != null && mediaType.startsWith("image/");
    }

    /**
     * The image media type the leading bytes announce (PNG, JPEG, GIF, BMP, WebP, TIFF signatures), or null.
     * {@code header} may be shorter than {@link #SNIFF_BYTES}; only its first {@code lengthBytes} are read.
     */
    public static String sniff(byte[] header, int lengthBytes) {
        int n = Math.min(lengthBytes, header.length);
        if (startsWith(header, n, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(header, n, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(header, n, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(header, n, 'B', 'M') && n >= 14) {
            return "image/bmp";
        }
        if (startsWith(header, n, 'R', 'I', 'F', 'F') && n >= 12 && header[8] == 'W' && header[9] == 'E'
                && header[10] == 'B' && header[11] == 'P') {
            return "image/webp";
        }
        if (startsWith(header, n, 'I', 'I', 0x2A, 0x00) || startsWith(header, n, 'M', 'M', 0x00, 0x2A)) {
            return "image/tiff";
        }
        return null;
    }

    /** The file extension (without dot) that suits an image media type, e.g. "png"; "bin" if unknown. */
    static String extensionFor(String mediaType) {
        if (mediaType == null) {
            return "bin";
        }
        switch (mediaType) {
            case "image/png":
                return "png";
            case "image/jpeg":
                return "jpg";
            case "image/gif":
                return "gif";
            case "image/bmp":
                return "bmp";
            case "image/webp":
                return "webp";
            case "image/tiff":
                return "tiff";
            case JSON:
                return "json";
            default:
                return "bin";
        }
    }

    private static boolean startsWith(byte[] data, int lengthBytes, int... signature) {
        if (lengthBytes < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((data[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
