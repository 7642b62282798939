package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PacketTypesTest {

    @Test
    void namesEveryPacketTypeAndMarksOthersUnknown() {
        assertThat(PacketType.name(PacketType.HELLO)).isEqualTo("HELLO");
        assertThat(PacketType.name(PacketType.RETRY)).isEqualTo("RETRY");
        assertThat(PacketType.name(PacketType.ACCEPT)).isEqualTo("ACCEPT");
        assertThat(PacketType.name(PacketType.VERSION)).isEqualTo("VERSION");
        assertThat(PacketType.name(PacketType.RESET)).isEqualTo("RESET");
        assertThat(PacketType.name(PacketType.DATA)).isEqualTo("DATA");
        assertThat(PacketType.name(0x7F)).isEqualTo("UNKNOWN(0x7F)");
    }

    @Test
    void namesEveryFrameTypeAndOnlyAckAndPaddingAreNotAckEliciting() {
        int[] types = {FrameType.PADDING, FrameType.PING, FrameType.ACK, FrameType.OPEN, FrameType.CHUNK,
            FrameType.WINDOW, FrameType.RESULT, FrameType.CANCEL, FrameType.CLOSE, FrameType.DIGEST, FrameType.RESUME,
            FrameType.STREAM_OPEN, FrameType.FRAGMENT, FrameType.PARITY, FrameType.ABANDON, FrameType.STREAM_CLOSE};
        Set<String> names = new HashSet<>();
        for (int type : types) {
            names.add(FrameType.name(type));
            assertThat(FrameType.isAckEliciting(type))
                    .as(FrameType.name(type))
                    .isEqualTo(type != FrameType.ACK && type != FrameType.PADDING);
        }
        assertThat(names).hasSize(types.length).doesNotContainNull().allMatch(n -> !n.startsWith("UNKNOWN"));
        assertThat(FrameType.name(0x03)).isEqualTo("UNKNOWN(0x03)");
        assertThat(FrameType.isAckEliciting(0x03)).isFalse();
    }

    @Test
    void transferKindsZeroToThreeAreTheOnlyValidOnesInAnOpenAndFourIsTheStreamKind() {
        assertThat(TransferKind.name(TransferKind.BYTES)).isEqualTo("BYTES");
        assertThat(TransferKind.name(TransferKind.IMAGE)).isEqualTo("IMAGE");
        assertThat(TransferKind.name(TransferKind.JSON)).isEqualTo("JSON");
        assertThat(TransferKind.name(TransferKind.FILE)).isEqualTo("FILE");
        assertThat(TransferKind.name(TransferKind.STREAM)).isEqualTo("STREAM");
        assertThat(TransferKind.name(5)).isEqualTo("UNKNOWN(0x05)");
        for (int kind = -1; kind <= 256; kind++) {
            assertThat(TransferKind.valid(kind)).isEqualTo(kind >= 0 && kind <= 3);
        }
    }

    @Test
    void everyErrorCodeHasADistinctNameAndSentence() {
        Set<String> names = new HashSet<>();
        Set<String> sentences = new HashSet<>();
        for (int code = 0; code <= ErrorCode.MAX_KNOWN; code++) {
            assertThat(ErrorCode.known(code)).isTrue();
            names.add(ErrorCode.name(code));
            sentences.add(ErrorCode.describe(code));
        }
        assertThat(names).hasSize(ErrorCode.MAX_KNOWN + 1);
        assertThat(sentences).hasSize(ErrorCode.MAX_KNOWN + 1);
        assertThat(ErrorCode.name(ErrorCode.TIMEOUT)).isEqualTo("TIMEOUT");
        assertThat(ErrorCode.name(ErrorCode.HANDSHAKE_TIMEOUT)).isEqualTo("HANDSHAKE_TIMEOUT");
        assertThat(ErrorCode.describe(ErrorCode.TOO_LARGE)).isEqualTo("the receiver refused the item (too large)");
        assertThat(ErrorCode.known(ErrorCode.MAX_KNOWN + 1)).isFalse();
        assertThat(ErrorCode.name(300)).startsWith("UNKNOWN(");
        assertThat(ErrorCode.describe(300)).contains("300");
    }
}
