package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class BigEndianTest {

    @Test
    void writesMostSignificantByteFirstWhateverTheBufferOrder() {
        ByteBuffer buf = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        BigEndian.putU16(buf, 1, 0x0102);
        BigEndian.putU32(buf, 3, 0x03040506L);
        BigEndian.putI64(buf, 7, 0x0708090A0B0C0D0EL);
        assertThat(TestSeeds.hex(buf, 1, 15)).isEqualTo("0102030405060708090a0b0c0d0e");
        assertThat(buf.position()).isZero();
        assertThat(buf.limit()).isEqualTo(32);
    }

    @Test
    void readsUnsignedValuesWithoutSignExtension() {
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < 16; i++) {
            buf.put(i, (byte) 0xFF);
        }
        assertThat(BigEndian.getU8(buf, 0)).isEqualTo(0xFF);
        assertThat(BigEndian.getU16(buf, 1)).isEqualTo(0xFFFF);
        assertThat(BigEndian.getU32(buf, 3)).isEqualTo(0xFFFF_FFFFL);
        assertThat(BigEndian.getI64(buf, 7)).isEqualTo(-1L);
    }
}
