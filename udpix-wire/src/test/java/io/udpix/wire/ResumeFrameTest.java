package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ResumeFrameTest {

    @Test
    void encodeRoundTripsTransferIdAndOffset() {
        ByteBuffer buf = ByteBuffer.allocate(32);
        int end = ResumeFrame.encode(buf, 4, 0xFFFF_FFFFL, 123_456_789_012L);
        assertThat(end - 4).isEqualTo(ResumeFrame.LENGTH).isEqualTo(13);
        assertThat(ResumeFrame.check(buf, 4, end)).isEqualTo(13);
        ResumeFrame f = new ResumeFrame().wrap(buf, 4);
        assertThat(f.transferId()).isEqualTo(0xFFFF_FFFFL);
        assertThat(f.resumeOffset()).isEqualTo(123_456_789_012L);
        assertThat(buf.get(4)).isEqualTo((byte) FrameType.RESUME);
        assertThat(FrameType.check(FrameType.RESUME, buf, 4, end)).isEqualTo(13);
        assertThat(FrameType.name(FrameType.RESUME)).isEqualTo("RESUME");
        assertThat(FrameType.isAckEliciting(FrameType.RESUME)).isTrue();
    }

    @Test
    void checkRefusesANegativeOffsetAShortFrameAndAnotherType() {
        ByteBuffer buf = ByteBuffer.allocate(32);
        int end = ResumeFrame.encode(buf, 0, 1, 5);
        assertThat(ResumeFrame.check(buf, 0, end - 1)).isEqualTo(-1);
        buf.putLong(ResumeFrame.OFFSET_OFFSET, -1);
        assertThat(ResumeFrame.check(buf, 0, end)).isEqualTo(-1);
        buf.put(0, (byte) FrameType.WINDOW);
        buf.putLong(ResumeFrame.OFFSET_OFFSET, 5);
        assertThat(ResumeFrame.check(buf, 0, end)).isEqualTo(-1);
        assertThatThrownBy(() -> ResumeFrame.encode(ByteBuffer.allocate(12), 0, 1, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
