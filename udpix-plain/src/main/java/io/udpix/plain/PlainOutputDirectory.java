package io.udpix.plain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Stores plain items in a directory: images and other items as files named after the sender and a sequence
 * number ({@code item-000001-127.0.0.1-50123.jpg}), JSON messages as lines of {@code messages.jsonl}.
 * Meant to be the consumer of a {@link PlainServer}; not thread-safe (one server thread calls it).
 */
public final class PlainOutputDirectory implements Consumer<PlainItem> {

    /** The file JSON messages are appended to, one per line. */
    public static final String MESSAGES_FILE = "messages.jsonl";

    /** Names already taken are skipped; this bounds the search for a free one. */
    private static final int MAX_NAME_ATTEMPTS = 100_000;

    private final Path directory;
    private long sequence;

    /** Creates {@code directory} if needed. */
    public PlainOutputDirectory(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    /** The directory items go to. */
    public Path directory() {
        return directory;
    }

    /** Stores the item; an I/O error becomes an {@link UncheckedIOException} (the server logs it). */
    @Override
    public void accept(PlainItem item) {
        try {
            store(item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores the item and returns the file written (for JSON, the messages file). */
    public Path store(PlainItem item) throws IOException {
        if (item.kind() == PlainItemKind.JSON) {
            return appendMessage(item.readAllBytes());
        }
        for (int i = 0; i < MAX_NAME_ATTEMPTS; i++) {
            Path target = directory.resolve(fileName(++sequence, item.from(), item.extension()));
            try {
                item.moveTo(target);
                return target;
            } catch (FileAlreadyExistsException e) {
                // Left from an earlier run: take the next number.
            }
        }
        item.discard();
        throw new IOException("no free file name in " + directory + " after " + MAX_NAME_ATTEMPTS
                + " tries; empty it or pick another --out");
    }

    private Path appendMessage(byte[] json) throws IOException {
        // JSON allows raw CR/LF only as whitespace between tokens (inside strings they are escaped), so turning
        // them into spaces keeps the document equivalent and makes it one line.
        for (int i = 0; i < json.length; i++) {
            if (json[i] == '\n' || json[i] == '\r') {
                json[i] = ' ';
            }
        }
        Path file = directory.resolve(MESSAGES_FILE);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
            for (int i = 0; line.hasRemaining() && i < 1024; i++) {
                out.write(line);
            }
        }
        return file;
    }

    static String fileName(long sequence, InetSocketAddress from, String extension) {
        String host = from.getAddress() != null ? from.getAddress().getHostAddress() : from.getHostString();
        // IPv6 addresses contain ':', which some file systems refuse.
        host = host.replace(':', '_').replace('%', '_');
        return String.format(Locale.ROOT, "item-%06d-%s-%d.%s", sequence, host, from.getPort(), extension);
    }
}
