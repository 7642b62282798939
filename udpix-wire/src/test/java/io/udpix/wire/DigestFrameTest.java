package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DigestFrameTest {

    @Test
    void digestRoundTripsTheTransferIdAndTheHashBigEndian() {
        byte[] sha = new byte[32];
        for (int i = 0; i < sha.length; i++) {
            sha[i] = (byte) (0xA0 + i);
        }
        ByteBuffer buf = ByteBuffer.allocate(48);
        int end = DigestFrame.encode(buf, 3, 0x01020304L, sha);

        assertThat(end).isEqualTo(3 + DigestFrame.LENGTH).isEqualTo(40);
        assertThat(TestSeeds.hex(buf, 3, 8)).isEqualTo("15" + "01020304");
        DigestFrame frame = new DigestFrame().wrap(buf, 3);
        assertThat(frame.transferId()).isEqualTo(0x01020304L);
        byte[] back = new byte[32];
        frame.copySha256(back);
        assertThat(back).isEqualTo(sha);
        assertThat(DigestFrame.check(buf, 3, end)).isEqualTo(37);
        assertThat(FrameType.isAckEliciting(FrameType.DIGEST)).isTrue();
        assertThat(FrameType.name(FrameType.DIGEST)).isEqualTo("DIGEST");
    }

    @Test
    void rejectsAShortFrameAWrongTypeAndABadHashLength() {
        ByteBuffer buf = ByteBuffer.allocate(48);
        int end = DigestFrame.encode(buf, 0, 7, new byte[32]);

        assertThat(DigestFrame.check(buf, 0, end - 1)).isEqualTo(-1);
        buf.put(0, (byte) FrameType.WINDOW);
        assertThat(DigestFrame.check(buf, 0, end)).isEqualTo(-1);
        assertThatThrownBy(() -> DigestFrame.encode(buf, 0, 7, new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> DigestFrame.encode(buf, 20, 7, new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
