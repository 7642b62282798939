package io.udpix.api.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The metadata of a stored file, beside it as {@code <stored name>.meta.json}:
 * {@code {"name":"<sent name>","meta":{"key":"value",...}}}. Written on the item's storage lane right after the
 * file got its final name (a temporary {@code .udpix-*.part} first, renamed without replacing anything, so a
 * reader never sees half of it and no existing file is overwritten). Written without Jackson: the values are
 * already checked strings (wire rules: UTF-8 text without control characters).
 */
public final class MetaSidecar {
    /** Appended to the stored file's name. */
    public static final String SUFFIX = ".meta.json";

    private MetaSidecar() {
    }

    /** Where the sidecar of {@code stored} goes. */
    public static Path pathFor(Path stored) {
        return stored.resolveSibling(stored.getFileName() + SUFFIX);
    }

    /**
     * Writes the sidecar of {@code stored} (nothing when {@code meta} is empty); returns its size in bytes.
     *
     * @throws FileAlreadyExistsException when a file of the sidecar's name exists (it is left alone)
     * @throws IOException when it cannot be written (nothing is left behind)
     */
    public static long write(OutputStore store, Path stored, String sentName, Map<String, String> meta,
            boolean durable) throws IOException {
        if (meta.isEmpty()) {
            return 0;
        }
        byte[] document = json(sentName, meta).getBytes(StandardCharsets.UTF_8);
        Path target = pathFor(stored);
        store.touched("sidecar");
        // In the store's top directory, where temporary files of the store live (cleanStale finds one left by a
        // crash there), then renamed beside the file, which may be in a subdirectory (a folder's tree).
        Path temp = Files.createTempFile(store.dir(), OutputStore.TEMP_PREFIX, OutputStore.TEMP_SUFFIX);
        try {
            try (var channel = Files.newByteChannel(temp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(document);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    ((java.nio.channels.FileChannel) channel).force(true);
                }
            }
            Files.move(temp, target); // no REPLACE_EXISTING: an existing file of that name stays as it is
            return document.length;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The sidecar's JSON text (one line, newline-terminated). */
    static String json(String sentName, Map<String, String> meta) {
        StringBuilder out = new StringBuilder(64 + 32 * meta.size());
        out.append("{\"name\":");
        quote(out, sentName);
        out.append(",\"meta\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, e.getKey());
            out.append(':');
            quote(out, e.getValue());
        }
        return out.append("}}\n").toString();
    }

    /** A JSON string (RFC 8259 section 7): quote, backslash and control characters escaped. */
    static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
