package io.udpix.cli.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;

/**
 * One JSON object per line for programs ({@code --format json}), e.g.
 * {@code {"time":"2026-11-23T10:15:30.250Z","event":"received","kind":"image","name":"cat.jpg","bytes":12345,
 * "peer":"127.0.0.1:50000","port":9000,"elapsedMs":12.3,"bytesPerSecond":1003658,...}}. Absent values are left
 * out; status lines are {@code {"time":...,"event":"status","message":...}}.
 */
public final class JsonLineReporter implements ItemReporter {

    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final Clock clock;

    /** Prints to {@code out}, stamping lines with {@code clock}'s time. */
    public JsonLineReporter(PrintStream out, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void finished(ItemReport report) {
        print(json(generator -> {
            generator.writeStringField("event", report.outcome().jsonName());
            generator.writeStringField("kind", report.kind());
            generator.writeStringField("name", report.name());
            generator.writeNumberField("bytes", report.lengthBytes());
            if (report.resumedFromBytes() >= 0) {
                generator.writeNumberField("movedBytes", report.movedBytes());
                generator.writeNumberField("resumedFromBytes", report.resumedFromBytes());
            }
            generator.writeStringField("peer", report.peer());
            if (report.port() != 0) {
                generator.writeNumberField("port", report.port());
            }
            generator.writeNumberField("elapsedMs", report.elapsed().toNanos() / 1e6);
            double rate = report.rateBytesPerSecond();
            if (rate >= 0) {
                generator.writeNumberField("bytesPerSecond", Math.round(rate));
            }
            writeIfPresent(generator, "sha256", report.sha256Hex());
            writeIfPresent(generator, "savedAs", report.savedAs());
            writeIfPresent(generator, report.outcome().ok() ? "detail" : "error", report.detail());
            if (!report.meta().isEmpty()) {
                generator.writeObjectFieldStart("meta");
                for (java.util.Map.Entry<String, String> e : report.meta().entrySet()) {
                    generator.writeStringField(e.getKey(), e.getValue());
                }
                generator.writeEndObject();
            }
        }));
    }

    @Override
    public void status(String message) {
        print(json(generator -> {
            generator.writeStringField("event", "status");
            generator.writeStringField("message", message);
        }));
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private String json(Fields fields) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            generator.writeStartObject();
            generator.writeStringField("time", clock.instant().toString());
            fields.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail; this would be a Jackson bug.
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writeIfPresent(JsonGenerator generator, String field, String value) throws IOException {
        if (value != null) {
            generator.writeStringField(field, value);
        }
    }

    /** Writes an object's fields. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator generator) throws IOException;
    }
}
