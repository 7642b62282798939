package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata stored beside an item: a sidecar for a file, a "meta" object in its messages.jsonl line. */
class MetaSidecarTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static Map<String, String> meta() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("camera", "door-2");
        meta.put("note", "quote \" backslash \\ é \ud83d\ude00");
        return meta;
    }

    @Test
    void writesTheSentNameAndEveryEntryAsJsonBesideTheStoredFileAndNoTemporaryFile() throws Exception {
        try (OutputStore store = new OutputStore(dir)) {
            Path stored = Files.writeString(store.dir().resolve("cat.jpg"), "jpeg");

            long bytes = MetaSidecar.write(store, stored, "../cat.jpg", meta(), false);

            Path sidecar = store.dir().resolve("cat.jpg.meta.json");
            assertThat(Files.size(sidecar)).isEqualTo(bytes);
            JsonNode json = MAPPER.readTree(sidecar.toFile());
            assertThat(json.get("name").asText()).isEqualTo("../cat.jpg");
            assertThat(MAPPER.convertValue(json.get("meta"), Map.class)).isEqualTo(meta());
            try (Stream<Path> files = Files.list(store.dir())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .filteredOn(name -> name.endsWith(OutputStore.TEMP_SUFFIX)).isEmpty();
            }
        }
    }

    @Test
    void writesTheSidecarBesideAFileInASubdirectoryOfTheTree() throws Exception {
        try (OutputStore store = new OutputStore(dir)) {
            Path sub = Files.createDirectories(store.dir().resolve("cams").resolve("door"));
            Path stored = Files.writeString(sub.resolve("1.jpg"), "jpeg");

            MetaSidecar.write(store, stored, "cams/door/1.jpg", meta(), false);

            assertThat(sub.resolve("1.jpg.meta.json")).exists();
            try (Stream<Path> files = Files.walk(store.dir())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .filteredOn(name -> name.endsWith(OutputStore.TEMP_SUFFIX)).isEmpty();
            }
        }
    }

    @Test
    void writesNothingWithoutMetadata() throws Exception {
        try (OutputStore store = new OutputStore(dir)) {
            Path stored = Files.writeString(store.dir().resolve("a.bin"), "a");

            assertThat(MetaSidecar.write(store, stored, "a.bin", Map.of(), false)).isZero();
            assertThat(MetaSidecar.pathFor(stored)).doesNotExist();
        }
    }

    @Test
    void neverOverwritesAFileThatHasTheSidecarsName() throws Exception {
        try (OutputStore store = new OutputStore(dir)) {
            Path stored = Files.writeString(store.dir().resolve("a.bin"), "a");
            Path other = Files.writeString(store.dir().resolve("a.bin.meta.json"), "someone's file");

            assertThatThrownBy(() -> MetaSidecar.write(store, stored, "a.bin", meta(), false))
                    .isInstanceOf(FileAlreadyExistsException.class);
            assertThat(Files.readString(other)).isEqualTo("someone's file");
            try (Stream<Path> files = Files.list(store.dir())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .filteredOn(name -> name.endsWith(OutputStore.TEMP_SUFFIX)).isEmpty();
            }
        }
    }

    @Test
    void addsAMetaObjectAfterTheValueOfAJsonLine() throws Exception {
        try (MessageLog log = new MessageLog(dir)) {
            log.append(Instant.parse("2026-12-02T10:00:00Z"), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    5000), 9000, "{\"t\":1}".getBytes(StandardCharsets.UTF_8), meta());
            log.append(Instant.parse("2026-12-02T10:00:01Z"), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    5000), 9000, "[2]".getBytes(StandardCharsets.UTF_8), Map.of());
        }
        var lines = Files.readAllLines(dir.resolve(MessageLog.FILE_NAME));
        JsonNode first = MAPPER.readTree(lines.get(0));
        assertThat(first.get("value").get("t").asInt()).isEqualTo(1);
        assertThat(MAPPER.convertValue(first.get("meta"), Map.class)).isEqualTo(meta());
        assertThat(MAPPER.readTree(lines.get(1)).has("meta")).as("no meta, no field").isFalse();
    }
}
