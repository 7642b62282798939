package io.udpix.cli.send;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing {@code udpix send} sends, before it becomes a native {@code Item} or a plain datagram sequence:
 * a file read while sending, bytes made in advance (a re-encoded image), or a JSON document.
 *
 * @param kind       {@code "file"}, {@code "image"} or {@code "json"}, as reported (native mode may call a file an
 *                   image once it has seen its bytes)
 * @param name       the name the receiver sees ({@code ""} for JSON)
 * @param file       the file to read, or null
 * @param bytes      the content made in advance, or null
 * @param jsonText   the JSON document, or null
 */
record Outgoing(String kind, String name, Path file, byte[] bytes, String jsonText) {

    /** Exactly one source. */
    Outgoing {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        int sources = (file != null ? 1 : 0) + (bytes != null ? 1 : 0) + (jsonText != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException("an outgoing item needs exactly one source, has " + sources);
        }
    }

    /** A file sent as it is. */
    static Outgoing file(Path file) {
        Path fileName = file.getFileName();
        return new Outgoing("file", fileName == null ? "" : fileName.toString(), file, null, null);
    }

    /** A file sent as it is under {@code name} (a folder's file: its path, {@code photos/2024/cat.jpg}). */
    static Outgoing file(Path file, String name) {
        return new Outgoing("file", name, file, null, null);
    }

    /** Bytes made in advance (a re-encoded image) under {@code name}. */
    static Outgoing bytes(String kind, String name, byte[] bytes) {
        return new Outgoing(kind, name, null, bytes, null);
    }

    /** A JSON document. */
    static Outgoing json(String text) {
        return new Outgoing("json", "", null, null, text);
    }
}
