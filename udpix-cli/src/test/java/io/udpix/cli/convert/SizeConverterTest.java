package io.udpix.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

class SizeConverterTest {

    private final SizeConverter converter = new SizeConverter();

    @ParameterizedTest
    @CsvSource({
        "4096, 4096",
        "4096B, 4096",
        "0, 0",
        "10KB, 10000",
        "10kb, 10000",
        "10MiB, 10485760",
        "10 MiB, 10485760",
        "1GB, 1000000000",
        "1GiB, 1073741824",
        "2TiB, 2199023255552",
        "1.5KiB, 1536",
        "0.5MB, 500000",
    })
    void parsesDecimalAndBinaryUnits(String text, long expectedBytes) {
        assertThat(converter.convert(text)).isEqualTo(expectedBytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10M              | unknown unit 'M'",
        "10k              | unknown unit 'k'",
        "-1               | negative",
        "1.5B             | not a whole number of bytes",
        "99999999999TiB   | too large",
        "lots             | is not a size",
        "''               | empty size",
    })
    void explainsWhatIsWrong(String text, String expectedMessagePart) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining(expectedMessagePart);
    }
}
