package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PlainHeaderFormatTest {

    @Test
    void parsesTheFourFormatsCaseInsensitively() {
        assertThat(PlainHeaderFormat.parse("8le")).isEqualTo(PlainHeaderFormat.DEFAULT);
        assertThat(PlainHeaderFormat.parse(" 8BE ")).isEqualTo(new PlainHeaderFormat(8, ByteOrder.BIG_ENDIAN));
        assertThat(PlainHeaderFormat.parse("4le")).isEqualTo(new PlainHeaderFormat(4, ByteOrder.LITTLE_ENDIAN));
        assertThat(PlainHeaderFormat.parse("4be").label()).isEqualTo("4be");
    }

    @Test
    void refusesAnUnknownFormatNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> PlainHeaderFormat.parse("16le"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'16le'").hasMessageContaining("8le, 8be, 4le, 4be");
        assertThatThrownBy(() -> new PlainHeaderFormat(2, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultMatchesPythonStructPackLongOn64BitLinux() {
        // struct.pack('l', 1000) on x86-64 Linux == b'\xe8\x03\x00\x00\x00\x00\x00\x00'
        assertThat(PlainHeaderFormat.DEFAULT.encode(1000))
                .containsExactly(0xE8, 0x03, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void bigEndianFourByteMatchesNetworkOrderInt() {
        // struct.pack('!i', 70000) == b'\x00\x01\x11\x70'
        assertThat(PlainHeaderFormat.parse("4be").encode(70000)).containsExactly(0x00, 0x01, 0x11, 0x70);
        assertThat(PlainHeaderFormat.parse("4be").decode(new byte[] {0, 1, 0x11, 0x70}, 0)).isEqualTo(70000);
    }

    @Test
    void decodesSignedValuesSoThatATopBitIsNegative() {
        byte[] allOnes = {-1, -1, -1, -1, -1, -1, -1, -1};
        assertThat(PlainHeaderFormat.DEFAULT.decode(allOnes, 0)).isEqualTo(-1);
        assertThat(PlainHeaderFormat.parse("4le").decode(allOnes, 0)).isEqualTo(-1);
    }

    @Test
    void roundTripsLengthsInEveryFormat() {
        long[] lengths = {1, 255, 256, 65_507, 1L << 30, Integer.MAX_VALUE};
        for (String name : new String[] {"8le", "8be", "4le", "4be"}) {
            PlainHeaderFormat f = PlainHeaderFormat.parse(name);
            for (long n : lengths) {
                assertThat(f.decode(f.encode(n), 0)).as(name + " " + n).isEqualTo(n);
            }
        }
        assertThat(PlainHeaderFormat.DEFAULT.decode(PlainHeaderFormat.DEFAULT.encode(1L << 62), 0))
                .isEqualTo(1L << 62);
    }

    @Test
    void refusesToEncodeALengthTheFormatCannotCarry() {
        assertThatThrownBy(() -> PlainHeaderFormat.parse("4le").encode(1L << 31))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8-byte");
        assertThatThrownBy(() -> PlainHeaderFormat.DEFAULT.encode(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
