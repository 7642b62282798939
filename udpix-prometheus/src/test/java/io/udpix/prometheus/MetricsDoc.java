package io.udpix.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metric tables of docs/METRICS.md: every row {@code | `udpix_...` | counter or gauge... | meaning |}. */
public final class MetricsDoc {
    private MetricsDoc() {}

    /** One documented metric. */
    public record Row(String name, boolean gauge, String meaning) {}

    /** docs/METRICS.md of this checkout (tests run in the module's directory). */
    public static Path file() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/METRICS.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new AssertionError("docs/METRICS.md not found above " + Path.of("").toAbsolutePath());
    }

    /** Every documented metric, by name, in the order of the tables. */
    public static Map<String, Row> rows() {
        Map<String, Row> rows = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file())) {
                if (!line.startsWith("| `udpix_")) {
                    continue;
                }
                String[] cells = line.split("\\|");
                String name = cells[1].strip().replace("`", "");
                String type = cells[2].strip();
                if (!type.startsWith("counter") && !type.startsWith("gauge")) {
                    throw new AssertionError("docs/METRICS.md: " + name + " has type '" + type + "'");
                }
                if (rows.put(name, new Row(name, type.startsWith("gauge"), cells[3].strip())) != null) {
                    throw new AssertionError("docs/METRICS.md lists " + name + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.size() < 40) {
            throw new AssertionError("docs/METRICS.md: only " + rows.size() + " metric rows found");
        }
        return rows;
    }
}
