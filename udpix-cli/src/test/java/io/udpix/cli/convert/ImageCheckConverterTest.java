package io.udpix.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.ImageCheck;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ImageCheckConverterTest {

    private final ImageCheckConverter converter = new ImageCheckConverter();

    @Test
    void acceptsEachLevelInAnyCase() {
        assertThat(converter.convert("none")).isEqualTo(ImageCheck.NONE);
        assertThat(converter.convert("Header")).isEqualTo(ImageCheck.HEADER);
        assertThat(converter.convert(" DECODE ")).isEqualTo(ImageCheck.DECODE);
    }

    @Test
    void namesTheChoicesForAnUnknownLevel() {
        assertThatThrownBy(() -> converter.convert("pixels")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'pixels'").hasMessageContaining("use none, header or decode");
    }
}
