package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library-free JSON checker and compactor behind messages.jsonl. */
class StrictJsonTest {

    private static String check(String document) {
        return StrictJson.validate(document.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-", "1.", ".5", "1e", "+1", "0x10", "tru", "nulls", "[1 2]", "{\"a\" 1}", "{1:2}",
        "\"tab\there\"", "\"\\x\"", "\"\\u12G4\"", "[", "{\"a\":", "1.5.2"})
    void refusesMalformedNumbersLiteralsStringsAndStructure(String document) {
        assertThat(check(document)).startsWith("invalid JSON");
    }

    @Test
    void aKeyWrittenWithEscapesIsTheSameKey() {
        assertThat(check("{\"a\":1,\"\\u0061\":2}")).contains("duplicate key \"a\"").contains("line 1, column 8");
        assertThat(check("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}")).as("keys are per object").isNull();
    }

    @Test
    void nestingIsBoundedAtOneThousandLevels() {
        assertThat(check("[".repeat(1000) + "]".repeat(1000))).isNull();
        assertThat(check("[".repeat(1001) + "]".repeat(1001))).contains("nesting deeper than 1000");
    }

    @Test
    void namesTheLineAndColumnOfAProblem() {
        assertThat(check("{\n  \"a\": 1,\n  \"b\": }")).startsWith("invalid JSON at line 3, column 8:");
    }

    @Test
    void compactingDropsOnlyWhitespaceBetweenTokens() {
        String document = "{\n \"a b\" : [ 1.50 , \"x \\\" y\\n\" ],\t\"c\": null }\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StrictJson.compactTo(document.getBytes(StandardCharsets.UTF_8), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a b\":[1.50,\"x \\\" y\\n\"],\"c\":null}");
    }
}
