package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageLogTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant TIME = Instant.parse("2026-11-23T10:15:30.250Z");

    @TempDir
    Path dir;

    @Test
    void appendsOneLineWithTimeSenderPortAndTheDocument() throws IOException {
        try (MessageLog log = new MessageLog(dir)) {
            log.append(TIME, sender(50_000), 9000, utf8("{\"temp\": 21.5, \"tags\": [\"a\", \"b\"]}"));
        }

        List<String> lines = Files.readAllLines(dir.resolve("messages.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode line = MAPPER.readTree(lines.get(0));
        assertThat(line.get("time").asText()).isEqualTo("2026-11-23T10:15:30.250Z");
        assertThat(line.get("from").asText()).isEqualTo("127.0.0.1:50000");
        assertThat(line.get("port").asInt()).isEqualTo(9000);
        assertThat(line.get("value")).isEqualTo(MAPPER.readTree("{\"temp\": 21.5, \"tags\": [\"a\", \"b\"]}"));
    }

    @Test
    void putsAPrettyPrintedDocumentOnOneLineKeepingNumbersExact() throws IOException {
        String document = "{\n  \"price\": 1.50,\n  \"big\": 123456789012345678901234567890,\n"
                + "  \"text\": \"line1\\nline2 é\"\n}";
        try (MessageLog log = new MessageLog(dir)) {
            log.append(TIME, sender(1), 9000, utf8(document));
        }

        List<String> lines = Files.readAllLines(dir.resolve("messages.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .contains("\"price\":1.50")
                .contains("123456789012345678901234567890")
                .contains("line1\\nline2 é");
    }

    @Test
    void writesIpv6SendersInBrackets() throws IOException {
        try (MessageLog log = new MessageLog(dir)) {
            log.append(TIME, new InetSocketAddress(InetAddress.getByName("::1"), 7), 9000, utf8("1"));
        }
        assertThat(Files.readString(dir.resolve("messages.jsonl"))).contains("\"from\":\"[0:0:0:0:0:0:0:1]:7\"");
    }

    @Test
    void refusesInvalidJsonAndWritesNothing() throws IOException {
        try (MessageLog log = new MessageLog(dir)) {
            assertThatThrownBy(() -> log.append(TIME, sender(1), 9000, utf8("{\"a\": }")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid JSON at line 1, column 7");
        }
        assertThat(Files.size(dir.resolve("messages.jsonl"))).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "42", "-0.5e3", "\"text\"", "null", "true", " {\"a\": [1, {\"b\": null}]} \n",
        "\"\\ud83d\\ude00\""})
    void acceptsEveryKindOfSingleJsonValue(String document) {
        assertThat(MessageLog.validateJson(utf8(document))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{} {}", "1 2", "{\"a\":1,}", "{'a':1}", "NaN", "[1,]", "// c\n1",
        "{\"a\":1,\"a\":2}", "undefined", "\"unterminated"})
    void refusesAnythingButExactlyOneStrictJsonValue(String document) {
        assertThat(MessageLog.validateJson(utf8(document))).startsWith("invalid JSON");
    }

    @Test
    void namesTheProblemInItsMessage() {
        assertThat(MessageLog.validateJson(utf8(""))).contains("empty");
        assertThat(MessageLog.validateJson(utf8("1 2"))).contains("more than one value");
        assertThat(MessageLog.validateJson(utf8("{\"a\":1,\"a\":2}"))).containsIgnoringCase("duplicate");
    }

    @Test
    void refusesInvalidUtf8EvenInsideStrings() {
        byte[] loneContinuation = {'"', (byte) 0x80, '"'};
        byte[] overlongSlash = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        byte[] encodedSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        byte[] latin1 = {'"', (byte) 0xE9, '"'};

        for (byte[] document : List.of(loneContinuation, overlongSlash, encodedSurrogate, latin1)) {
            assertThat(MessageLog.validateJson(document)).startsWith("invalid UTF-8 at byte 1");
        }
    }

    @Test
    void refusesAByteOrderMark() {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};

        assertThat(MessageLog.validateJson(withBom)).contains("byte order mark");
    }

    @Test
    void refusesAbsurdNestingWithAMessageInsteadOfCrashing() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThat(MessageLog.validateJson(utf8(deep))).startsWith("invalid JSON");
    }

    @Test
    void keepsEveryLineWholeWhenEightThreadsAppendAtOnce() throws Exception {
        int threads = 8;
        int linesPerThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (MessageLog log = new MessageLog(dir)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < linesPerThread; i++) {
                        String document = "{\"thread\": " + thread + ", \"i\": " + i + ", \"pad\": \""
                                + "x".repeat(i % 97) + "\"}";
                        log.append(TIME, sender(40_000 + thread), 9000 + thread, utf8(document));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> lines = Files.readAllLines(dir.resolve("messages.jsonl"));
        assertThat(lines).hasSize(threads * linesPerThread);
        Set<String> seen = new HashSet<>();
        for (String text : lines) {
            JsonNode line = MAPPER.readTree(text);
            int thread = line.get("value").get("thread").asInt();
            assertThat(line.get("port").asInt()).isEqualTo(9000 + thread);
            assertThat(line.get("from").asText()).isEqualTo("127.0.0.1:" + (40_000 + thread));
            seen.add(thread + "/" + line.get("value").get("i").asInt());
        }
        assertThat(seen).hasSize(threads * linesPerThread);
    }

    private static InetSocketAddress sender(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
