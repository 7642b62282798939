package io.udpix.api.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code DIR/messages.jsonl}: one line per JSON message received,
 * {@code {"time":"<ISO-8601>","from":"IP:PORT","port":P,"value":<the document>}}. Thread-safe. A line is written
 * whole or not at all: one write of the complete line, and when that fails (a full disk) the file is truncated
 * back to where the line began before the failure is reported, so the next line starts on a clean boundary and
 * every line stays valid JSON. A torn tail left by a crash (a last line without its newline, or one that is not
 * valid JSON) is moved to {@code messages.jsonl.torn-<time>} when the log opens, never silently deleted.
 */
public final class MessageLog implements AutoCloseable {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "messages.jsonl";

    /** Longest last line inspected when repairing a torn tail (a line holds at most one accepted message). */
    static final int MAX_REPAIR_BYTES = 64 << 20;

    private final Path file;
    private final FileChannel out;
    private final boolean durable;
    /** Length of the file: where the next line goes; guarded by {@code this}. */
    private long endBytes;
    private volatile java.util.function.Consumer<String> audit = op -> { };
    /** Reused for every line; guarded by {@code this}. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);

    /** Opens {@code dir/messages.jsonl} for appending, creating it if needed, without fsync per line. */
    public MessageLog(Path dir) throws IOException {
        this(dir, false);
    }

    /**
     * Opens {@code dir/messages.jsonl} for appending, creating it if needed and repairing a torn tail.
     *
     * @param durable whether each line is flushed to the disk (fsync) before {@link #append} returns
     */
    public MessageLog(Path dir, boolean durable) throws IOException {
        this(dir, durable, path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    }

    /** As {@link #MessageLog(Path, boolean)}, opening the file with {@code opener} (tests inject a full disk). */
    MessageLog(Path dir, boolean durable, ChannelOpener opener) throws IOException {
        this.file = Objects.requireNonNull(dir, "dir").resolve(FILE_NAME);
        this.durable = durable;
        this.out = opener.open(file);
        try {
            this.endBytes = repairTail();
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Opens the log file; a seam for tests. */
    @FunctionalInterface
    interface ChannelOpener {
        FileChannel open(Path path) throws IOException;
    }

    /** Sets the observer told of each file-system operation by name; for tests. */
    public void audit(java.util.function.Consumer<String> observer) {
        this.audit = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Moves a torn last line (no newline, or not valid JSON: a crash or an old full-disk failure mid-write) to
     * {@code messages.jsonl.torn-<millis>} and truncates the log to its last complete line; returns the length.
     */
    private long repairTail() throws IOException {
        long size = out.size();
        if (size == 0) {
            return 0;
        }
        int window = (int) Math.min(size, MAX_REPAIR_BYTES);
        ByteBuffer tail = ByteBuffer.allocate(window);
        long from = size - window;
        while (tail.hasRemaining()) {
            if (out.read(tail, from + tail.position()) < 0) {
                break;
            }
        }
        byte[] bytes = tail.array();
        int n = tail.position();
        boolean endsWithNewline = n > 0 && bytes[n - 1] == '\n';
        int lastNewline = -1;
        for (int i = endsWithNewline ? n - 2 : n - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0 && from > 0) {
            return size; // a last line longer than we inspect: leave the file as it is
        }
        int lineStart = lastNewline + 1;
        int lineEnd = endsWithNewline ? n - 1 : n;
        boolean valid = endsWithNewline
                && validateJson(java.util.Arrays.copyOfRange(bytes, lineStart, lineEnd)) == null;
        if (valid) {
            return size;
        }
        Path aside = file.resolveSibling(FILE_NAME + ".torn-" + System.currentTimeMillis());
        Files.write(aside, java.util.Arrays.copyOfRange(bytes, lineStart, n), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        long keep = from + lineStart;
        out.truncate(keep);
        out.force(false);
        System.getLogger(MessageLog.class.getName()).log(System.Logger.Level.WARNING,
                "messages.jsonl ended with " + (n - lineStart) + " bytes of a torn line (a crash or a full disk "
                        + "mid-write); moved them to " + aside + " and truncated the log to its last whole line");
        return keep;
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /**
     * Appends one line for a JSON document received from {@code from} on local {@code port}. The document is
     * copied without the whitespace between its tokens (numbers and strings byte for byte), so a pretty-printed
     * document still takes one line. No JSON library is needed (see {@link StrictJson}).
     *
     * @return the bytes the line took
     * @throws IllegalArgumentException with {@link #validateJson}'s message when the document is invalid
     * @throws IOException when it could not be written (the file is then as it was before the call)
     */
    public long append(Instant time, InetSocketAddress from, int port, byte[] documentUtf8) throws IOException {
        return append(time, from, port, documentUtf8, java.util.Map.of());
    }

    /**
     * As {@link #append(Instant, InetSocketAddress, int, byte[])}, with the item's metadata as a {@code "meta"}
     * object of strings after {@code "value"} (left out when empty).
     */
    public synchronized long append(Instant time, InetSocketAddress from, int port, byte[] documentUtf8,
            java.util.Map<String, String> meta) throws IOException {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(documentUtf8, "documentUtf8");
        String error = validateJson(documentUtf8);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        line.reset();
        // Neither the ISO-8601 time nor IP:PORT has a character JSON needs escaped.
        line.writeBytes(("{\"time\":\"" + time + "\",\"from\":\"" + addressText(from) + "\",\"port\":" + port
                + ",\"value\":").getBytes(StandardCharsets.US_ASCII));
        StrictJson.compactTo(documentUtf8, line);
        if (!meta.isEmpty()) {
            StringBuilder entries = new StringBuilder(",\"meta\":{");
            boolean first = true;
            for (java.util.Map.Entry<String, String> e : meta.entrySet()) {
                if (!first) {
                    entries.append(',');
                }
                first = false;
                MetaSidecar.quote(entries, e.getKey());
                entries.append(':');
                MetaSidecar.quote(entries, e.getValue());
            }
            line.writeBytes(entries.append('}').toString().getBytes(StandardCharsets.UTF_8));
        }
        line.write('}');
        line.write('\n');
        audit.accept("append");
        // One write of the whole line at the end (one server per directory: the store's lock). On failure the
        // file goes back to where the line began, so no half line ever joins the next one.
        ByteBuffer buffer = ByteBuffer.wrap(line.toByteArray());
        long start = endBytes;
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer, start + buffer.position());
            }
            if (durable) {
                out.force(false);
            }
        } catch (IOException | RuntimeException e) {
            try {
                out.truncate(start);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        endBytes = start + buffer.limit();
        return buffer.limit();
    }

    /** Bytes the log holds. */
    public synchronized long sizeBytes() {
        return endBytes;
    }

    /**
     * Checks that {@code documentUtf8} is exactly one JSON value in valid UTF-8.
     *
     * @return null when valid, else what is wrong and where
     */
    public static String validateJson(byte[] documentUtf8) {
        Objects.requireNonNull(documentUtf8, "documentUtf8");
        String utf8Error = checkUtf8(documentUtf8);
        if (utf8Error != null) {
            return utf8Error;
        }
        return StrictJson.validate(documentUtf8);
    }

    /** Malformed UTF-8 (overlong forms, encoded surrogates) is refused before the JSON itself is looked at. */
    private static String checkUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        try {
            decoder.decode(input);
            if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                    && (bytes[2] & 0xFF) == 0xBF) {
                // RFC 8259 section 8.1: senders MUST NOT add a byte order mark.
                return "invalid JSON: starts with a UTF-8 byte order mark; send the document without it";
            }
            return null;
        } catch (CharacterCodingException e) {
            return "invalid UTF-8 at byte " + input.position() + "; JSON must be UTF-8 (RFC 8259 section 8.1)";
        }
    }

    /** {@code IP:PORT}, with brackets for IPv6 ({@code [::1]:9000}), without a host name lookup. */
    static String addressText(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Closes the file. */
    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
