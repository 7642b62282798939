package io.udpix.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An item a server received and verified (SHA-256 matched): either saved under its final name in the output
 * directory ({@link #savedPath()}) or held in memory ({@link #bytes()}).
 */
public final class ReceivedItem {
    private final ItemKind kind;
    private final String name;
    private final String mediaType;
    private final long sizeBytes;
    private final String sha256Hex;
    private final InetSocketAddress sender;
    private final int port;
    private final Duration elapsed;
    private final Path savedPath;
    private final byte[] bytes;
    private final ImageInfo image;
    private final String warning;
    private final Map<String, String> meta;

    ReceivedItem(ItemKind kind, String name, String mediaType, long sizeBytes, String sha256Hex,
            InetSocketAddress sender, int port, Duration elapsed, Path savedPath, byte[] bytes, ImageInfo image,
            String warning) {
        this(kind, name, mediaType, sizeBytes, sha256Hex, sender, port, elapsed, savedPath, bytes, image, warning,
                Map.of());
    }

    ReceivedItem(ItemKind kind, String name, String mediaType, long sizeBytes, String sha256Hex,
            InetSocketAddress sender, int port, Duration elapsed, Path savedPath, byte[] bytes, ImageInfo image,
            String warning, Map<String, String> meta) {
        this.meta = meta;
        this.kind = kind;
        this.name = name;
        this.mediaType = mediaType;
        this.sizeBytes = sizeBytes;
        this.sha256Hex = sha256Hex;
        this.sender = sender;
        this.port = port;
        this.elapsed = elapsed;
        this.savedPath = savedPath;
        this.bytes = bytes;
        this.image = image;
        this.warning = warning;
    }

    /** What the sender said it is. */
    public ItemKind kind() {
        return kind;
    }

    /** The name the sender gave (untrusted; the saved file has a safe version of it). */
    public String name() {
        return name;
    }

    /** The media type the sender gave; may be empty. */
    public String mediaType() {
        return mediaType;
    }

    /** Size in bytes. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** SHA-256 of the content, lower-case hex (verified against the sender's). */
    public String sha256Hex() {
        return sha256Hex;
    }

    /** The sender's address. */
    public InetSocketAddress sender() {
        return sender;
    }

    /** The local port it arrived on. */
    public int port() {
        return port;
    }

    /** From the item's first frame to its verification. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Bytes per second over {@link #elapsed()}. */
    public double rateBytesPerSecond() {
        return Rates.bytesPerSecond(sizeBytes, elapsed.toNanos());
    }

    /** Where it was saved, for items written to the output directory. */
    public Optional<Path> savedPath() {
        return Optional.ofNullable(savedPath);
    }

    /** The content, for items held in memory (the array is the server's only copy; it is not shared). */
    public Optional<byte[]> bytes() {
        return Optional.ofNullable(bytes);
    }

    /** The content from memory or from the saved file (which loads the whole file: mind its size). */
    public byte[] readAllBytes() throws IOException {
        return bytes != null ? bytes : Files.readAllBytes(savedPath);
    }

    /** The content decoded as UTF-8 (for JSON messages). */
    public String text() throws IOException {
        return new String(readAllBytes(), StandardCharsets.UTF_8);
    }

    /**
     * The content (a JSON document) mapped onto {@code type} by Jackson, e.g. a reply's fields into a record. Needs
     * Jackson on the class path (an optional dependency of udpix-api); {@link #text()} does not.
     *
     * @throws IOException when the content cannot be read or does not map onto {@code type}, with Jackson's reason
     * @throws IllegalStateException when Jackson is not on the class path, naming the dependency to add
     */
    public <T> T json(Class<T> type) throws IOException {
        return JacksonJson.read(readAllBytes(), type, "ReceivedItem.json(Class)");
    }

    /** Width, height and format, for images (or files with an image name) that decoded. */
    public Optional<ImageInfo> image() {
        return Optional.ofNullable(image);
    }

    /**
     * The content decoded as an image, from memory or from the saved file: JPEG through TurboJPEG when it is
     * installed (see {@link io.udpix.api.media.JpegCodec}), else and for every other format through ImageIO with
     * the plug-ins on the class path (PNG, GIF, BMP, WebP and CMYK JPEG come with udpix). Decodes every call.
     *
     * @throws UdpixException (INVALID_ITEM) when the content is not an image a reader here knows, or does not
     *         decode, naming the item and why
     */
    public BufferedImage decodeImage() throws UdpixException {
        return ImageDecoding.decode(bytes, savedPath, "'" + name + "' (" + kind.label() + ", " + sizeBytes
                + " bytes)", mediaType);
    }

    /** A problem that did not stop the item, e.g. an image name whose content does not decode. */
    public Optional<String> warning() {
        return Optional.ofNullable(warning);
    }

    /**
     * The metadata the sender gave ({@link Item#withMeta}), in its order; unmodifiable, empty when none. Untrusted
     * text like the name, but checked against the wire rules (keys {@code [a-z0-9._-]}, values UTF-8 without
     * control characters).
     */
    public Map<String, String> meta() {
        return meta;
    }

    @Override
    public String toString() {
        return kind.label() + " '" + name + "' " + sizeBytes + " bytes from " + sender + " on port " + port
                + (savedPath != null ? " saved as " + savedPath : " in memory")
                + (image != null ? " " + image.width() + "x" + image.height() : "")
                + (meta.isEmpty() ? "" : " meta " + meta);
    }
}
