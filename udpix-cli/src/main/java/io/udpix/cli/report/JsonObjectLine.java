package io.udpix.cli.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line with a {@code time} and an {@code event} field first, then the given fields in order;
 * what the stream reports print with {@code --format json}. Printed whole under the stream's lock, as
 * {@link JsonLineReporter} does, so lines of both never interleave.
 */
public final class JsonObjectLine {
    private static final JsonFactory JSON = new JsonFactory();

    private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
    private final String event;

    private JsonObjectLine(String event) {
        this.event = event;
    }

    /** A line for {@code event}. */
    public static JsonObjectLine event(String event) {
        return new JsonObjectLine(event);
    }

    /** Adds a field: a String, a Boolean or a Number (doubles with at most 3 decimals); null is left out. */
    public JsonObjectLine put(String name, Object value) {
        if (value != null) {
            fields.put(name, value instanceof Double d ? Math.round(d * 1000) / 1000.0 : value);
        }
        return this;
    }

    /** The line (no line break). */
    public String text() {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.now().toString());
            g.writeStringField("event", event);
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                Object v = e.getValue();
                if (v instanceof String s) {
                    g.writeStringField(e.getKey(), s);
                } else if (v instanceof Boolean b) {
                    g.writeBooleanField(e.getKey(), b);
                } else if (v instanceof Double d) {
                    g.writeNumberField(e.getKey(), d);
                } else if (v instanceof Number n) {
                    g.writeNumberField(e.getKey(), n.longValue());
                } else {
                    g.writeStringField(e.getKey(), String.valueOf(v));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // A StringWriter does not fail.
        }
        return text.toString();
    }

    /** Prints the line to {@code out} and flushes. */
    public void printTo(PrintStream out) {
        String line = text();
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
