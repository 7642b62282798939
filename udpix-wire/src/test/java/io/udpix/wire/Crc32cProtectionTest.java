package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Crc32cProtectionTest {

    private static ByteBuffer buffer(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void sealsTheKnownCrc32cTestVectorBigEndian(boolean direct) {
        // RFC 3720 B.4 / the common "check" value of CRC-32C: "123456789" -> 0xE3069283.
        ByteBuffer buf = buffer(direct, 16);
        buf.put(2, "123456789".getBytes(StandardCharsets.US_ASCII));
        PacketProtection protection = new Crc32cProtection();

        assertThat(protection.seal(buf, 2, 11)).isEqualTo(15);
        assertThat(TestSeeds.hex(buf, 11, 15)).isEqualTo("e3069283");
        assertThat(protection.open(buf, 2, 15)).isTrue();
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void detectsEverySingleBitFlipInA1400BytePacket(boolean direct) {
        long seed = TestSeeds.seed();
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buf = buffer(direct, 1400);
        for (int i = 0; i < 1396; i++) {
            buf.put(i, (byte) random.nextInt(256));
        }
        Crc32cProtection protection = new Crc32cProtection();
        int end = protection.seal(buf, 0, 1396);
        assertThat(end).isEqualTo(1400);
        assertThat(protection.open(buf, 0, end)).as("seed=%d", seed).isTrue();

        for (int bit = 0; bit < 1400 * 8; bit++) {
            int index = bit >>> 3;
            byte original = buf.get(index);
            buf.put(index, (byte) (original ^ (1 << (bit & 7))));
            assertThat(protection.open(buf, 0, end)).as("seed=%d flipped bit %d", seed, bit).isFalse();
            buf.put(index, original);
        }
        assertThat(protection.open(buf, 0, end)).as("seed=%d", seed).isTrue();
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void leavesPositionAndLimitAsTheyWere(boolean direct) {
        ByteBuffer buf = buffer(direct, 100);
        buf.limit(90).position(33);
        Crc32cProtection protection = new Crc32cProtection();
        int end = protection.seal(buf, 10, 50);
        assertThat(protection.open(buf, 10, end)).isTrue();
        assertThat(buf.position()).isEqualTo(33);
        assertThat(buf.limit()).isEqualTo(90);
    }

    @Test
    void opensReadOnlyBuffers() {
        ByteBuffer buf = ByteBuffer.allocate(40);
        int end = new Crc32cProtection().seal(buf, 0, 30);
        assertThat(new Crc32cProtection().open(buf.asReadOnlyBuffer(), 0, end)).isTrue();
    }

    @Test
    void openIsFalseForImpossibleRangesInsteadOfThrowing() {
        ByteBuffer buf = ByteBuffer.allocate(32);
        Crc32cProtection protection = new Crc32cProtection();
        assertThat(protection.overheadBytes()).isEqualTo(4);
        assertThat(protection.open(buf, 0, 33)).isFalse();
        assertThat(protection.open(buf, -1, 10)).isFalse();
        assertThat(protection.open(buf, 5, 8)).isFalse();
        assertThat(protection.open(buf, 5, Integer.MIN_VALUE)).isFalse();
        assertThat(protection.open(null, 0, 8)).isFalse();
        // An empty payload still has a well-defined tag: CRC32C of nothing is 0.
        assertThat(protection.open(buf, 4, 8)).isTrue();
    }

    @Test
    void sealRefusesWhenTheTagDoesNotFitAndSaysWhy() {
        ByteBuffer buf = ByteBuffer.allocate(32);
        assertThatThrownBy(() -> new Crc32cProtection().seal(buf, 0, 29))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("limit is 32");
    }
}
