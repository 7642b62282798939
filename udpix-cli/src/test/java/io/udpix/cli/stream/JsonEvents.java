package io.udpix.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/** Reads the JSON lines of {@code --format json} output in the stream tests. */
final class JsonEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonEvents() {
    }

    /** The last line whose {@code event} is {@code event}; fails the test when there is none. */
    static JsonNode lastEvent(List<String> lines, String event) throws IOException {
        JsonNode last = null;
        for (String line : lines) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                if (event.equals(node.path("event").asText())) {
                    last = node;
                }
            }
        }
        assertThat(last).as("a %s line in %s", event, lines).isNotNull();
        return last;
    }
}
