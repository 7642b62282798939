package io.udpix.api;

import io.udpix.api.store.MessageLog;
import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * One thing to send: its kind, name, media type, size and SHA-256 (computed when the item is made), and where its
 * bytes come from. Immutable; an item may be sent any number of times.
 *
 * <p>Byte-array items keep a reference to the array: do not change it until every send of the item finished (the
 * receiver would see a SHA-256 mismatch). File items keep only the path and read the file while sending.
 */
public final class Item {
    private final ItemKind kind;
    private final String name;
    private final String mediaType;
    private final long sizeBytes;
    /**
     * Files up to this size are hashed before they are sent, so the SHA-256 rides in the OPEN and the receiver can
     * confirm as soon as the data is in. A hash that follows the data (DIGEST) may go only once the OPEN was
     * acknowledged (docs/PROTOCOL.md section 4.8a): for a small file that is one round trip more (measured over a
     * 100 ms link: a 32 KB image confirmed 2 round trips after FINISH instead of 1). Reading 256 KiB first costs
     * far less than a round trip; larger files start moving at once and hash while they are sent.
     */
    static final long HASH_FIRST_MAX_BYTES = 256 * 1024;
    /**
     * Files from this size on go resumable when the client allows it ({@code UdpixClient.Builder.resume}): hashed
     * before they are announced (a resumable OPEN carries the SHA-256 of the whole, docs/PROTOCOL.md section 5.5).
     * Below it a lost transfer costs at most about a megabyte to send again, less than hashing first delays a
     * small file on a fast path.
     */
    public static final long RESUMABLE_MIN_BYTES = 1L << 20;

    private final byte[] sha256;
    private final byte[] bytes;
    private final Path file;
    /** Unmodifiable, insertion order; checked by {@link ItemMeta}. */
    private final Map<String, String> meta;

    private Item(ItemKind kind, String name, String mediaType, long sizeBytes, byte[] sha256, byte[] bytes,
            Path file) {
        this(kind, name, mediaType, sizeBytes, sha256, bytes, file, Map.of());
    }

    private Item(ItemKind kind, String name, String mediaType, long sizeBytes, byte[] sha256, byte[] bytes,
            Path file, Map<String, String> meta) {
        this.meta = meta;
        this.kind = kind;
        this.name = WireText.name(name);
        this.mediaType = WireText.mediaType(mediaType);
        this.sizeBytes = sizeBytes;
        this.sha256 = sha256;
        this.bytes = bytes;
        this.file = file;
    }

    /**
     * {@code bytes} under {@code name}: an IMAGE when the name's extension or the first bytes say so (as
     * {@link #file}), else BYTES.
     */
    public static Item bytes(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, "bytes");
        String byName = MediaTypes.forName(name);
        String sniffed = MediaTypes.sniff(bytes, MediaTypes.SNIFF_BYTES);
        ItemKind kind = MediaTypes.isImage(byName) || sniffed != null ? ItemKind.IMAGE : ItemKind.BYTES;
        String mediaType = MediaTypes.isImage(byName) || sniffed == null ? byName : sniffed;
        return new Item(kind, name, mediaType, bytes.length, Sha256.of(bytes), bytes, null);
    }

    /** Exactly these bytes with this kind, name and media type, nothing checked or guessed (for tools and tests). */
    public static Item raw(ItemKind kind, String name, String mediaType, byte[] bytes) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bytes, "bytes");
        return new Item(kind, name, mediaType, bytes.length, Sha256.of(bytes), bytes, null);
    }

    /**
     * The file at {@code path}, named by its file name. It is an IMAGE when its extension or its first bytes say
     * so, else a FILE. The file is not read now: its SHA-256 is computed while it is sent and follows the data
     * (a DIGEST frame), so a large file starts moving at once; {@link #sha256Hex()} reads it if asked first.
     *
     * @throws UdpixException (INVALID_ITEM) when the file cannot be read, naming it and why
     */
    public static Item file(Path path) throws UdpixException {
        Objects.requireNonNull(path, "path");
        if (Files.isDirectory(path)) {
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM,
                    path + " is a directory; send its files with Items.tree(" + path + ")");
        }
        try {
            long sizeBytes = Files.size(path);
            String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
            String byName = MediaTypes.forName(fileName);
            String sniffed = sniffFile(path);
            ItemKind kind = MediaTypes.isImage(byName) || sniffed != null ? ItemKind.IMAGE : ItemKind.FILE;
            String mediaType = MediaTypes.isImage(byName) || sniffed == null ? byName : sniffed;
            return new Item(kind, fileName, mediaType, sizeBytes, null, null, path);
        } catch (NoSuchFileException e) {
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM, -1,
                    "cannot read " + path + ": no such file; check the path", e);
        } catch (IOException e) {
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM, -1,
                    "cannot read " + path + ": " + e.getMessage() + "; check that it exists and is readable", e);
        }
    }

    /**
     * As {@link #file(Path)}, named by the file's path relative to {@code root} with {@code /} separators
     * ({@code Item.file(Path.of("photos"), Path.of("photos/2024/cat.jpg"))} is named {@code 2024/cat.jpg}); a
     * receiver with an output directory stores it under the same directories (see {@link Items} for a whole tree).
     *
     * @throws UdpixException (INVALID_ITEM) when the file is not inside {@code root}, cannot be read, or its
     *                        relative name is over 255 bytes of UTF-8 or more than 16 directories deep
     */
    public static Item file(Path root, Path path) throws UdpixException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(path, "path");
        Path relative = root.toAbsolutePath().normalize().relativize(path.toAbsolutePath().normalize());
        if (relative.toString().isEmpty() || relative.startsWith("..")) {
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM, path + " is not inside " + root
                    + "; give the folder it is in as the root");
        }
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            name.append(name.length() == 0 ? "" : "/").append(part);
        }
        String checked = Items.checkedName(path, name.toString());
        return file(path).withName(checked);
    }

    /**
     * {@code image} encoded by ImageIO as {@code format} ("png", "jpg", "bmp", "gif"...), named
     * {@code image.<format>}. JPEG has no alpha channel, so a translucent image is flattened onto black first.
     *
     * @throws IllegalArgumentException when no ImageIO writer handles {@code format}
     */
    public static Item image(BufferedImage image, String format) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(format, "format");
        String fmt = format.toLowerCase(Locale.ROOT);
        BufferedImage toWrite = image;
        boolean jpeg = fmt.equals("jpg") || fmt.equals("jpeg");
        if (jpeg && image.getColorModel().hasAlpha()) {
            toWrite = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            toWrite.createGraphics().drawImage(image, 0, 0, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(toWrite, fmt, out)) {
                throw new IllegalArgumentException("no ImageIO writer for image format '" + format
                        + "' and this image type; use png or jpg");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the image as " + format + " failed: " + e.getMessage(), e);
        }
        byte[] encoded = out.toByteArray();
        String mediaType = MediaTypes.forName("image." + fmt);
        return new Item(ItemKind.IMAGE, "image." + fmt, mediaType, encoded.length, Sha256.of(encoded), encoded,
                null);
    }

    /**
     * {@code value} serialised by Jackson as a JSON document (kind JSON, named {@code message.json}). The only
     * sending method that needs Jackson (an optional dependency of udpix-api); {@link #jsonText} does not.
     *
     * @throws IllegalArgumentException when Jackson cannot serialise it, with Jackson's reason
     * @throws IllegalStateException when Jackson is not on the class path, naming the dependency to add
     */
    public static Item json(Object value) {
        byte[] document = JacksonJson.write(value, "Item.json(Object)");
        return new Item(ItemKind.JSON, "message.json", MediaTypes.JSON, document.length, Sha256.of(document),
                document, null);
    }

    /**
     * The JSON document {@code text}, checked here first (strict: one value, UTF-8, no duplicate keys) so an
     * invalid one fails before anything is sent.
     *
     * @throws IllegalArgumentException with what is wrong and where, e.g. "invalid JSON at line 1, column 9: ..."
     */
    public static Item jsonText(String text) {
        Objects.requireNonNull(text, "text");
        byte[] document = text.getBytes(StandardCharsets.UTF_8);
        String error = MessageLog.validateJson(document);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        return new Item(ItemKind.JSON, "message.json", MediaTypes.JSON, document.length, Sha256.of(document),
                document, null);
    }

    /** The same item under another name (made to fit the wire: no control characters, at most 255 bytes). */
    public Item withName(String newName) {
        return new Item(kind, newName, mediaType, sizeBytes, sha256, bytes, file, meta);
    }

    /**
     * The same item with another media type.
     *
     * @throws IllegalArgumentException unless it is printable US-ASCII of at most 100 bytes
     */
    public Item withMediaType(String newMediaType) {
        return new Item(kind, name, newMediaType, sizeBytes, sha256, bytes, file, meta);
    }

    /**
     * The same item with the metadata entry {@code key = value} added (or replaced), which travels in the item's
     * OPEN and is stored beside it by the receiver (a {@code "meta"} object in messages.jsonl, a
     * {@code <name>.meta.json} sidecar beside a file) and handed over as {@link ReceivedItem#meta()}.
     *
     * @param key   1..32 characters of {@code a-z 0-9 . _ -}, not starting with {@code udpix.} (udpix's own)
     * @param value one line of text (no control characters), at most 255 bytes in UTF-8
     * @throws IllegalArgumentException naming the rule broken and the fix, also when the item's metadata would
     *                                  exceed 21 entries or 624 bytes (4 per entry + key + value)
     */
    public Item withMeta(String key, String value) {
        return new Item(kind, name, mediaType, sizeBytes, sha256, bytes, file, ItemMeta.with(meta, key, value,
                false));
    }

    /** As {@link #withMeta} for udpix's own {@code udpix.*} keys (reply status). */
    Item withInternalMeta(String key, String value) {
        return new Item(kind, name, mediaType, sizeBytes, sha256, bytes, file, ItemMeta.with(meta, key, value,
                true));
    }

    /** The metadata entries, in the order they were added (unmodifiable; empty when there are none). */
    public Map<String, String> meta() {
        return meta;
    }

    /** What the item is. */
    public ItemKind kind() {
        return kind;
    }

    /**
     * The name the receiver sees; one with directories ({@code photos/cat.jpg}) is stored under them, each part
     * made safe (docs/PROTOCOL.md section 4.4).
     */
    public String name() {
        return name;
    }

    /** The media type, e.g. {@code image/png}; may be empty. */
    public String mediaType() {
        return mediaType;
    }

    /** Size of the content in bytes. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /**
     * SHA-256 of the content, lower-case hex. For a file item this reads the whole file (the send itself does not
     * need it: it hashes while sending); {@link SendResult#sha256Hex()} has the hash of what was sent.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public String sha256Hex() {
        if (sha256 != null) {
            return Sha256.hex(sha256);
        }
        try {
            return Sha256.hex(Sha256.ofFile(file).sha256());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + " to hash it: " + e.getMessage(), e);
        }
    }

    /** The file the content is read from, when it is a file item. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The engine's request for this item, with a fresh source; the caller closes the source if the engine does not
     * take the request.
     */
    TransferRequest openRequest() throws UdpixException {
        return openRequest(ItemExtensions.NONE.withMeta(meta), false);
    }

    /**
     * As {@link #openRequest()}; with {@code resume} a file of at least {@link #RESUMABLE_MIN_BYTES} is hashed
     * first (on the calling thread, never the client's I/O thread) and announced RESUMABLE.
     */
    TransferRequest openRequest(boolean resume) throws UdpixException {
        return openRequest(ItemExtensions.NONE.withMeta(meta), resume);
    }

    /** As {@link #openRequest()} for the reply to the peer's transfer {@code requestId} (REPLY_TO). */
    TransferRequest openRequest(long requestId) throws UdpixException {
        return openRequest(ItemExtensions.NONE.withMeta(meta).withReplyTo(requestId), false);
    }

    /** As {@link #openRequest()} asking the receiver for a reply (REPLY_WANTED). */
    TransferRequest openReplyWantedRequest() throws UdpixException {
        return openRequest(ItemExtensions.NONE.withMeta(meta).withReplyWanted(), false);
    }

    private TransferRequest openRequest(ItemExtensions extensions, boolean resume) throws UdpixException {
        if (bytes != null) {
            return new TransferRequest(new TransferInfo(kind.wireCode(), name, mediaType, sizeBytes, sha256,
                    extensions), new ByteArraySource(bytes));
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            long nowSizeBytes = channel.size();
            if (nowSizeBytes != sizeBytes) {
                channel.close();
                throw changedSize(nowSizeBytes);
            }
            byte[] hash = sha256;
            boolean resumable = resume && sizeBytes >= RESUMABLE_MIN_BYTES;
            if (hash == null && sizeBytes <= HASH_FIRST_MAX_BYTES) {
                hash = hashFirst(channel);
            } else if (hash == null && resumable) {
                hash = hashWhole(channel);
            }
            TransferSource source = new FileSource(channel, sizeBytes);
            TransferInfo info = new TransferInfo(kind.wireCode(), name, mediaType, sizeBytes, hash, extensions);
            return new TransferRequest(resumable ? ResumeSeam.markResumable(info) : info, source);
        } catch (UdpixException e) {
            throw e;
        } catch (IOException e) {
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM, -1,
                    "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of the whole (small) file, read through {@code channel}; closes it on failure. */
    private byte[] hashFirst(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate((int) sizeBytes);
        try {
            while (content.hasRemaining()) {
                if (channel.read(content, content.position()) < 0) {
                    throw changedSize(content.position());
                }
            }
        } catch (IOException e) { // UdpixException included
            channel.close();
            throw e;
        }
        return Sha256.of(content.array());
    }

    /** The SHA-256 of the whole file, streamed through {@code channel}; closes it on failure. */
    private byte[] hashWhole(FileChannel channel) throws IOException {
        java.security.MessageDigest md = io.udpix.engine.util.Sha256Digests.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1 << 20, sizeBytes));
        long at = 0;
        try {
            while (at < sizeBytes) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), sizeBytes - at));
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw changedSize(at);
                }
                buffer.flip();
                md.update(buffer);
                at += n;
            }
        } catch (IOException e) { // UdpixException included
            channel.close();
            throw e;
        }
        return md.digest();
    }

    private UdpixException changedSize(long nowSizeBytes) {
        return new UdpixException(UdpixException.Kind.INVALID_ITEM, file + " changed size since the item was made ("
                + sizeBytes + " bytes then, " + nowSizeBytes + " now); make the item again");
    }

    private static String sniffFile(Path path) throws IOException {
        byte[] header = new byte[MediaTypes.SNIFF_BYTES];
        int n = 0;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(header, 0, header.length);
        }
        return MediaTypes.sniff(header, n);
    }

    @Override
    public String toString() {
        return kind.label() + " '" + name + "' (" + sizeBytes + " bytes, " + mediaType + ")";
    }
}
