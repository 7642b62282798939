package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The type-length-value capability block: round trip, unknown types, must-understand, malformed input. */
class CapabilityBlockTest {
    @Test
    void entriesRoundTripAndUnknownOrdinaryTypesAreIgnored() {
        ByteBuffer b = ByteBuffer.allocate(128);
        int o = CapabilityBlock.putNumber(b, 0, CapabilityBlock.SERVER_CONNECTION_ID, 8, 0x0102030405060708L);
        o = CapabilityBlock.putNumber(b, o, 0x0777, 2, 99); // a type from the future, not must-understand
        o = CapabilityBlock.putBytes(b, o, CapabilityBlock.RESET_TOKEN, new byte[16]);
        assertThat(TestSeeds.hex(b, 0, 12)).isEqualTo("8001" + "0008" + "0102030405060708");
        assertThat(CapabilityBlock.check(b, 0, o, CapabilityBlock.SERVER_CONNECTION_ID)).isEqualTo(3);
        assertThat(CapabilityBlock.number(b, 0, o, CapabilityBlock.SERVER_CONNECTION_ID, 0))
                .isEqualTo(0x0102030405060708L);
        assertThat(CapabilityBlock.number(b, 0, o, CapabilityBlock.MAX_TRANSFERS, 7)).as("absent: default")
                .isEqualTo(7);
        int token = CapabilityBlock.find(b, 0, o, CapabilityBlock.RESET_TOKEN);
        assertThat(CapabilityBlock.length(b, token)).isEqualTo(16);
    }

    @Test
    void anUnknownMustUnderstandTypeIsReportedByItsType() {
        ByteBuffer b = ByteBuffer.allocate(64);
        int o = CapabilityBlock.putNumber(b, 0, CapabilityBlock.FEATURES, 4, 1);
        o = CapabilityBlock.putNumber(b, o, 0x8009, 1, 1);
        assertThat(CapabilityBlock.check(b, 0, o, CapabilityBlock.FEATURES))
                .isEqualTo(CapabilityBlock.UNKNOWN_MUST_UNDERSTAND);
        assertThat(CapabilityBlock.firstUnknownMustUnderstand(b, 0, o, CapabilityBlock.FEATURES)).isEqualTo(0x8009);
        assertThat(CapabilityBlock.check(b, 0, o, CapabilityBlock.FEATURES, 0x8009)).isEqualTo(2);
    }

    @Test
    void truncatedOverlongAndRepeatedEntriesAreMalformed() {
        ByteBuffer b = ByteBuffer.allocate(64);
        int o = CapabilityBlock.putNumber(b, 0, CapabilityBlock.FEATURES, 4, 1);
        assertThat(CapabilityBlock.check(b, 0, o - 1)).isEqualTo(-1);
        assertThat(CapabilityBlock.check(b, 0, 3)).isEqualTo(-1);
        int twice = CapabilityBlock.putNumber(b, o, CapabilityBlock.FEATURES, 4, 2);
        assertThat(CapabilityBlock.check(b, 0, twice)).isEqualTo(-1);
        BigEndian.putU16(b, 2, 60);
        assertThat(CapabilityBlock.check(b, 0, o)).as("length past the end").isEqualTo(-1);
    }

    @Test
    void checkNeverThrowsOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed());
        ByteBuffer b = ByteBuffer.allocate(300);
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            b.clear();
            b.put(0, bytes);
            int limit = bytes.length;
            int r = CapabilityBlock.check(b, 0, limit, CapabilityBlock.SERVER_CONNECTION_ID);
            CapabilityBlock.find(b, 0, limit, random.nextInt(65536));
            CapabilityBlock.number(b, 0, limit, CapabilityBlock.SERVER_CONNECTION_ID, 0);
            CapabilityBlock.firstUnknownMustUnderstand(b, 0, limit);
            assertThat(r).isGreaterThanOrEqualTo(-2);
        }
    }
}
