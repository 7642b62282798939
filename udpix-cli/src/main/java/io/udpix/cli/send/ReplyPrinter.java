package io.udpix.cli.send;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.udpix.api.ItemKind;
import io.udpix.api.ReceivedItem;
import io.udpix.cli.report.Units;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the replies of {@code udpix send --wait-reply} to standard output: a JSON or text reply as it is (what a
 * script reads), with {@code --format json} one object per reply ({@code "event":"reply"}, the request's name,
 * the reply's kind, name, size, SHA-256, metadata, and its JSON as {@code "value"} or text as {@code "text"}). A
 * binary reply is described, never printed.
 */
final class ReplyPrinter {
    private static final JsonFactory JSON = new JsonFactory();
    /** Largest reply shown as text or JSON; a larger one is described like a binary one. */
    static final int MAX_SHOWN_BYTES = 1 << 20;

    private final PrintStream out;
    private final boolean json;

    ReplyPrinter(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Prints {@code reply}, the answer to the item named {@code requestName}. */
    void print(String requestName, ReceivedItem reply) {
        byte[] bytes = reply.bytes().orElse(new byte[0]);
        boolean shown = bytes.length <= MAX_SHOWN_BYTES && isText(reply);
        String text = shown ? new String(bytes, StandardCharsets.UTF_8) : null;
        String line = json ? jsonLine(requestName, reply, text) : plainText(reply, text);
        if (line.isEmpty()) {
            return; // Reply.none(): nothing to print
        }
        synchronized (out) {
            out.print(line.endsWith("\n") ? line : line + "\n");
            out.flush();
        }
    }

    /** Whether the reply is JSON or text by its kind or media type. */
    static boolean isText(ReceivedItem reply) {
        String type = reply.mediaType().toLowerCase(Locale.ROOT);
        return reply.kind() == ItemKind.JSON || type.startsWith("text/") || type.startsWith("application/json");
    }

    private static String plainText(ReceivedItem reply, String text) {
        if (text != null) {
            return text;
        }
        if (reply.sizeBytes() == 0) {
            return "";
        }
        return "reply " + reply.kind().label() + " " + Units.printableName(reply.name()) + " " + reply.sizeBytes()
                + " bytes (" + (reply.mediaType().isEmpty() ? "binary" : reply.mediaType())
                + ": not printed) sha256 " + reply.sha256Hex();
    }

    private static String jsonLine(String requestName, ReceivedItem reply, String text) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.now().toString());
            g.writeStringField("event", "reply");
            g.writeStringField("request", requestName);
            g.writeStringField("kind", reply.kind().label());
            g.writeStringField("name", reply.name());
            g.writeNumberField("bytes", reply.sizeBytes());
            g.writeStringField("mediaType", reply.mediaType());
            g.writeStringField("sha256", reply.sha256Hex());
            if (!reply.meta().isEmpty()) {
                g.writeObjectFieldStart("meta");
                for (Map.Entry<String, String> e : reply.meta().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            if (text != null) {
                if (reply.kind() == ItemKind.JSON && copyJson(g, text)) {
                    // written as "value"
                } else {
                    g.writeStringField("text", text);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return line.toString();
    }

    /** Writes {@code text} as the field {@code "value"} when it is one JSON value; false (nothing written) if not. */
    private static boolean copyJson(JsonGenerator g, String text) {
        StringWriter copy = new StringWriter(text.length() + 16);
        try (JsonParser parser = JSON.createParser(text); JsonGenerator c = JSON.createGenerator(copy)) {
            if (parser.nextToken() == null) {
                return false;
            }
            c.copyCurrentStructure(parser);
            if (parser.nextToken() != null) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try {
            g.writeFieldName("value");
            g.writeRawValue(copy.toString());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
