package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PaddingAndPingFrameTest {

    @Test
    void paddingCheckMeasuresTheRunOfZerosUpToTheFirstOtherByteOrTheLimit() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        for (int i = 0; i < 64; i++) {
            buf.put(i, (byte) 0x5A);
        }
        PaddingFrame.fill(buf, 3, 40);
        assertThat(TestSeeds.hex(buf, 2, 4)).isEqualTo("5a00");
        assertThat(TestSeeds.hex(buf, 39, 41)).isEqualTo("005a");
        assertThat(PaddingFrame.check(buf, 3, 64)).isEqualTo(37);
        assertThat(PaddingFrame.check(buf, 3, 20)).isEqualTo(17);
        assertThat(PaddingFrame.check(buf, 39, 64)).isEqualTo(1);
        assertThat(PaddingFrame.check(buf, 40, 64)).isEqualTo(-1);
        assertThat(PaddingFrame.check(buf, 3, 3)).isEqualTo(-1);
        assertThatThrownBy(() -> PaddingFrame.fill(buf, 10, 65)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void pingIsOneByteOfOne() {
        ByteBuffer buf = ByteBuffer.allocate(4);
        assertThat(PingFrame.write(buf, 2)).isEqualTo(3);
        assertThat(buf.get(2)).isEqualTo((byte) 1);
        assertThat(PingFrame.check(buf, 2, 3)).isEqualTo(1);
        assertThat(PingFrame.check(buf, 2, 2)).isEqualTo(-1);
        assertThat(PingFrame.check(buf, 1, 4)).isEqualTo(-1);
        new PingFrame().wrap(buf, 0).writeType();
        assertThat(PingFrame.check(buf, 0, 1)).isEqualTo(1);
    }
}
