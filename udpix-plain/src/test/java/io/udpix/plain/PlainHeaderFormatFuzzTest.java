package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for the plain-mode length headers (docs/FUZZING.md): any 4 or 8 bytes decode without throwing in
 * every format, and every decoded length a format can carry encodes back to the same bytes.
 */
class PlainHeaderFormatFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void headerFormatsDecodeAnyBytesAndReencodeEveryCarriableLength(byte[] input) {
        for (PlainHeaderFormat format : PlainReceiverFuzzTest.FORMATS) {
            byte[] header = Arrays.copyOf(input, format.lengthBytes());
            long length = format.decode(header, 0);
            assertThat(PlainHeaderFormat.parse(format.label())).isEqualTo(format);
            if (length >= 0 && length <= format.maxLength()) {
                assertThat(format.encode(length)).as("%s re-encodes %d", format, length).isEqualTo(header);
            }
        }
    }
}
