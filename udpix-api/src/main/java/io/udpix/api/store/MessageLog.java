package io.udpix.api.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * {@code {"time":"<ISO-8601>","from":"IP:PORT","port":P,"value":<the document>}}. Thread-safe; every line is
 * written whole and flushed before {@link #append} returns, so a reader never sees half a line.
 */
public final class MessageLog implements AutoCloseable {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "messages.jsonl";

    /** Strict parsing: only RFC 8259 JSON, duplicate keys refused (RFC 7493 section 2.3). */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path file;
    private final OutputStream out;
    /** Reused for every line; guarded by {@code this}. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);

    /** Opens {@code dir/messages.jsonl} for appending, creating it if needed. */
    public MessageLog(Path dir) throws IOException {
        this.file = Objects.requireNonNull(dir, "dir").resolve(FILE_NAME);
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /**
     * Appends one line for a JSON document received from {@code from} on local {@code port}. The document is
     * copied token by token (numbers kept exact), so a pretty-printed document still takes one line.
     *
     * @throws IllegalArgumentException with {@link #validateJson}'s message when the document is invalid
     */
    public synchronized void append(Instant time, InetSocketAddress from, int port, byte[] documentUtf8)
            throws IOException {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(documentUtf8, "documentUtf8");
        String error = validateJson(documentUtf8);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        line.reset();
        try (JsonGenerator generator = JSON.createGenerator(line);
             JsonParser parser = JSON.createParser(documentUtf8)) {
            generator.writeStartObject();
            generator.writeStringField("time", time.toString());
            generator.writeStringField("from", addressText(from));
            generator.writeNumberField("port", port);
            generator.writeFieldName("value");
            parser.nextToken();
            generator.copyCurrentStructureExact(parser);
            generator.writeEndObject();
        }
        line.write('\n');
        // One write of the whole line: with O_APPEND concurrent writers (even other processes) cannot interleave.
        line.writeTo(out);
        out.flush();
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
        try (JsonParser parser = JSON.createParser(documentUtf8)) {
            if (parser.nextToken() == null) {
                return "invalid JSON: the document is empty";
            }
            parser.skipChildren();
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                return "invalid JSON: more than one value (extra " + extra.asString() + " at "
                        + where(parser.currentTokenLocation()) + ")";
            }
            return null;
        } catch (JsonProcessingException e) {
            return "invalid JSON at " + where(e.getLocation()) + ": " + e.getOriginalMessage();
        } catch (IOException e) {
            return "invalid JSON: " + e.getMessage();
        }
    }

    /** Jackson lets some malformed UTF-8 through inside strings (overlong forms, encoded surrogates): check first. */
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

    private static String where(JsonLocation location) {
        if (location == null) {
            return "an unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
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
