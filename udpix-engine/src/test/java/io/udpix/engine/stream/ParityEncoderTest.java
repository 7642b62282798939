package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParityEncoderTest {

    /** The definition, byte by byte: XOR of fragments i mod G == g, each zero-padded to F. */
    static byte[] naiveParity(byte[] frame, int size, int stride, int group) {
        byte[] parity = new byte[size];
        int count = (frame.length + size - 1) / size;
        for (int i = group; i < count; i += stride) {
            for (int j = 0; j < size && i * size + j < frame.length; j++) {
                parity[j] ^= frame[i * size + j];
            }
        }
        return parity;
    }

    @Test
    void parityIsTheXorOfTheGroupsFragmentsZeroPadded() {
        long seed = TestSeeds.seed();
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            byte[] frame = new byte[1 + random.nextInt(20_000)];
            random.nextBytes(frame);
            int size = 1 + random.nextInt(1_500);
            int count = FrameLayout.fragmentCount(frame.length, size);
            int stride = 1 + random.nextInt(count);
            int group = random.nextInt(stride);
            ByteBuffer out = random.nextBoolean() ? ByteBuffer.allocate(size + 100)
                    : ByteBuffer.allocateDirect(size + 100);
            int index = random.nextInt(100);
            ParityEncoder.encode(frame, size, stride, group, out, index);
            byte[] got = new byte[size];
            out.get(index, got);
            assertThat(got).as("L=%d F=%d G=%d g=%d %s", frame.length, size, stride, group, TestSeeds.replay(seed))
                    .isEqualTo(naiveParity(frame, size, stride, group));
        }
    }

    @Test
    void writesOnlyItsFBytesAndLeavesThePacketsPositionLimitAndOtherBytesAlone() {
        byte[] frame = new byte[1_000];
        new Random(1).nextBytes(frame);
        ByteBuffer packet = ByteBuffer.allocate(200);
        for (int i = 0; i < 200; i++) {
            packet.put(i, (byte) 0x5A);
        }
        packet.position(7).limit(150);
        ParityEncoder.encode(frame, 100, 3, 1, packet, 30);
        assertThat(packet.position()).isEqualTo(7);
        assertThat(packet.limit()).isEqualTo(150);
        packet.limit(200);
        for (int i = 0; i < 200; i++) {
            if (i < 30 || i >= 130) {
                assertThat(packet.get(i)).as("byte %d", i).isEqualTo((byte) 0x5A);
            }
        }
        byte[] got = new byte[100];
        packet.get(30, got);
        assertThat(got).isEqualTo(naiveParity(frame, 100, 3, 1));
    }

    @Test
    void theBuffersByteOrderDoesNotChangeTheParity() {
        byte[] frame = new byte[5_003];
        new Random(2).nextBytes(frame);
        ByteBuffer little = ByteBuffer.allocate(1_200).order(ByteOrder.LITTLE_ENDIAN);
        ParityEncoder.encode(frame, 1_200, 2, 0, little, 0);
        byte[] got = new byte[1_200];
        little.get(0, got);
        assertThat(got).isEqualTo(naiveParity(frame, 1_200, 2, 0));
    }

    @Test
    void encodesAFrameThatLivesInsideALargerArray() {
        byte[] whole = new byte[3_000];
        new Random(3).nextBytes(whole);
        byte[] frame = java.util.Arrays.copyOfRange(whole, 500, 2_500);
        ByteBuffer out = ByteBuffer.allocate(300);
        ParityEncoder.encode(whole, 500, 2_000, 300, 2, 1, out, 0);
        byte[] got = new byte[300];
        out.get(0, got);
        assertThat(got).isEqualTo(naiveParity(frame, 300, 2, 1));
    }

    @Test
    void refusesAStrideOrGroupOutsideTheFrameAndAPacketTooSmall() {
        byte[] frame = new byte[1_000];
        ByteBuffer out = ByteBuffer.allocate(100);
        assertThatThrownBy(() -> ParityEncoder.encode(frame, 100, 11, 0, out, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
        assertThatThrownBy(() -> ParityEncoder.encode(frame, 100, 0, 0, out, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParityEncoder.encode(frame, 100, 2, 2, out, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParityEncoder.encode(frame, 100, 2, 1, out, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
