package io.udpix.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({
        "500ms, 500000000",
        "2s, 2000000000",
        "1.5s, 1500000000",
        "1m, 60000000000",
        "1min, 60000000000",
        "1h, 3600000000000",
        "250us, 250000",
        "7ns, 7",
        "0, 0",
        "0ms, 0",
        "' 3 s ', 3000000000",
        "2S, 2000000000",
        "PT2S, 2000000000",
        "pt0.5s, 500000000",
    })
    void parsesAmountsWithUnits(String text, long expectedNanos) {
        assertThat(converter.convert(text)).isEqualTo(Duration.ofNanos(expectedNanos));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5          | has no unit",
        "5 parsecs  | unknown unit 'parsecs'",
        "-1s        | negative",
        "abc        | is not a duration",
        "1.5ns      | finer than a nanosecond",
        "999999999h | too long",
        "''         | empty duration",
        "PT-1S      | negative",
        "P1X        | not an ISO-8601 duration",
    })
    void explainsWhatIsWrong(String text, String expectedMessagePart) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining(expectedMessagePart);
    }
}
