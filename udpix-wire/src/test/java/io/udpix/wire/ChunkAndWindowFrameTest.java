package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChunkAndWindowFrameTest {

    @Test
    void chunkHeaderRoundTripsAndDataFollowsIt() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int data = ChunkFrame.writeHeader(buf, 4, 0x01020304L, 0x0506070809L, 3);
        buf.put(data, new byte[] {7, 8, 9});

        assertThat(data).isEqualTo(4 + ChunkFrame.HEADER_LENGTH);
        assertThat(TestSeeds.hex(buf, 4, 4 + 18))
                .isEqualTo("11" + "01020304" + "0000000506070809" + "0003" + "070809");
        ChunkFrame chunk = new ChunkFrame().wrap(buf, 4);
        assertThat(chunk.transferId()).isEqualTo(0x01020304L);
        assertThat(chunk.offset()).isEqualTo(0x0506070809L);
        assertThat(chunk.dataLength()).isEqualTo(3);
        assertThat(chunk.dataOffset()).isEqualTo(data);
        assertThat(chunk.length()).isEqualTo(18);
        assertThat(ChunkFrame.check(buf, 4, 22)).isEqualTo(18);
        assertThat(ChunkFrame.check(buf, 4, 64)).as("frames may be followed by more frames").isEqualTo(18);
        assertThat(ChunkFrame.check(buf, 4, 21)).isEqualTo(-1);

        chunk.writeType().transferId(0).offset(0).dataLength(0);
        assertThat(ChunkFrame.check(buf, 4, 19)).isEqualTo(15);
    }

    @Test
    void chunkOffsetPlusLengthMustNotPassTwoToTheSixtyThreeMinusOne() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        ChunkFrame.writeHeader(buf, 0, 1, Long.MAX_VALUE - 3, 3);
        assertThat(ChunkFrame.check(buf, 0, 18)).isEqualTo(18);
        BigEndian.putI64(buf, ChunkFrame.OFFSET_FIELD_OFFSET, Long.MAX_VALUE - 2);
        assertThat(ChunkFrame.check(buf, 0, 18)).isEqualTo(-1);
        BigEndian.putI64(buf, ChunkFrame.OFFSET_FIELD_OFFSET, -1);
        assertThat(ChunkFrame.check(buf, 0, 18)).isEqualTo(-1);
        assertThatThrownBy(() -> ChunkFrame.writeHeader(buf, 0, 1, Long.MAX_VALUE - 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkFrame.writeHeader(buf, 0, 1, 0, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 64");
    }

    @Test
    void windowRoundTripsItsCreditLimit() {
        ByteBuffer buf = ByteBuffer.allocateDirect(32);
        int end = WindowFrame.encode(buf, 1, 0xFFFF_FFFFL, 0x0102030405060708L);
        assertThat(end).isEqualTo(1 + WindowFrame.LENGTH);
        assertThat(TestSeeds.hex(buf, 1, end)).isEqualTo("12" + "ffffffff" + "0102030405060708");
        WindowFrame window = new WindowFrame().wrap(buf, 1);
        assertThat(window.transferId()).isEqualTo(0xFFFF_FFFFL);
        assertThat(window.maxOffset()).isEqualTo(0x0102030405060708L);
        assertThat(WindowFrame.check(buf, 1, end)).isEqualTo(13);
        window.writeType().transferId(3).maxOffset(Long.MAX_VALUE);
        assertThat(window.transferId()).isEqualTo(3);
        assertThat(WindowFrame.check(buf, 1, end)).isEqualTo(13);
        BigEndian.putI64(buf, 1 + WindowFrame.MAX_OFFSET_OFFSET, Long.MIN_VALUE);
        assertThat(WindowFrame.check(buf, 1, end)).isEqualTo(-1);
    }
}
