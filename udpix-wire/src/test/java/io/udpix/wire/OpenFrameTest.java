package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenFrameTest {

    private static byte[] sha() {
        byte[] sha = new byte[32];
        for (int i = 0; i < sha.length; i++) {
            sha[i] = (byte) i;
        }
        return sha;
    }

    @Test
    void encodeRoundTripsEveryFieldIncludingUnicodeNames() {
        ByteBuffer buf = ByteBuffer.allocate(512);
        String name = "Fotos/Straße 🚲 日本.png";
        int end = OpenFrame.encode(buf, 10, 0x01020304L, TransferKind.IMAGE, 0, 0x0102030405060708L, sha(),
                "image/png", name);

        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        assertThat(end - 10).isEqualTo(OpenFrame.encodedLength("image/png", name)).isEqualTo(49 + 9 + nameBytes);
        assertThat(OpenFrame.check(buf, 10, end)).isEqualTo(end - 10);
        OpenFrame open = new OpenFrame().wrap(buf, 10);
        assertThat(open.transferId()).isEqualTo(0x01020304L);
        assertThat(open.kind()).isEqualTo(TransferKind.IMAGE);
        assertThat(open.flags()).isZero();
        assertThat(open.sizeBytes()).isEqualTo(0x0102030405060708L);
        byte[] copy = new byte[32];
        open.copySha256(copy);
        assertThat(copy).isEqualTo(sha());
        assertThat(open.mediaType()).isEqualTo("image/png");
        assertThat(open.name()).isEqualTo(name);
        assertThat(open.length()).isEqualTo(end - 10);
        assertThat(open.nameOffset()).isEqualTo(10 + 48 + 9 + 1);
        assertThat(TestSeeds.hex(buf, 10, 10 + 15)).isEqualTo("10" + "01020304" + "01" + "00" + "0102030405060708");
    }

    @Test
    void emptyMediaTypeAndNameGiveTheMinimumLength() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int end = OpenFrame.encode(buf, 0, 0, TransferKind.BYTES, 0, 0, sha(), "", "");
        assertThat(end).isEqualTo(OpenFrame.MIN_LENGTH).isEqualTo(49);
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(49);
        assertThat(new OpenFrame().wrap(buf, 0).name()).isEmpty();
    }

    @Test
    void settersRewriteTheFixedFields() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int end = OpenFrame.encode(buf, 0, 0, TransferKind.BYTES, 0, 0, sha(), "", "x");
        OpenFrame open = new OpenFrame().wrap(buf, 0).transferId(BigEndian.MAX_U32).kind(TransferKind.FILE)
                .flags(0x80).sizeBytes(Long.MAX_VALUE).sha256(new byte[32]);
        assertThat(open.transferId()).isEqualTo(BigEndian.MAX_U32);
        assertThat(open.kind()).isEqualTo(TransferKind.FILE);
        assertThat(open.flags()).as("receivers ignore unknown flag bits").isEqualTo(0x80);
        assertThat(open.sizeBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(end);
    }

    @Test
    void encodeRejectsEveryRuleCheckEnforces() {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 4, 0, 0, sha(), "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 0, 0, -1, sha(), "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sizeBytes");
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 0, 0, 0, new byte[31], "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256");
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 0, 0, 0, sha(), "x".repeat(101), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mediaType");
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 0, 0, 0, sha(), "image/pñg", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("US-ASCII");
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 0, 0, 0, sha(), "", "é".repeat(128)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes");
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 0, 0, 0, sha(), "", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+000A");
        assertThatThrownBy(() -> OpenFrame.encode(buf, 0, 0, 0, 0, 0, sha(), "", "\uD800"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> OpenFrame.encode(ByteBuffer.allocate(48), 0, 0, 0, 0, 0, sha(), "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 48");
        assertThat(OpenFrame.encode(buf, 0, 0, 0, 0, 0, sha(), "x".repeat(100), "é".repeat(127)))
                .isEqualTo(49 + 100 + 254);
    }

    @Test
    void checkRejectsMalformedUtf8ControlsAndNonAsciiMediaTypes() {
        ByteBuffer buf = ByteBuffer.allocate(128);
        int end = OpenFrame.encode(buf, 0, 1, TransferKind.JSON, 0, 5, sha(), "application/json", "abcd");
        int name = new OpenFrame().wrap(buf, 0).nameOffset();
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(end);

        byte[][] badNames = {
            {(byte) 0xC0, (byte) 0x80, 'a', 'b'},              // overlong NUL
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 'a'},      // UTF-16 surrogate D800
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {'a', 'b', 'c', (byte) 0xE2},                      // truncated sequence
            {'a', 0x7F, 'c', 'd'},                             // DEL
            {'a', 0x1B, 'c', 'd'},                             // ESC (terminal injection)
        };
        for (byte[] bad : badNames) {
            buf.put(name, bad);
            assertThat(OpenFrame.check(buf, 0, end)).as(TestSeeds.hex(buf, name, name + 4)).isEqualTo(-1);
        }
        buf.put(name, new byte[] {(byte) 0xC3, (byte) 0xA9, 'c', 'd'});
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(end);

        buf.put(OpenFrame.MEDIA_TYPE_OFFSET, (byte) 0x80);
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(-1);
        buf.put(OpenFrame.MEDIA_TYPE_OFFSET, (byte) 'a');
        BigEndian.putU8(buf, OpenFrame.KIND_OFFSET, 4);
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(-1);
        BigEndian.putU8(buf, OpenFrame.KIND_OFFSET, 3);
        BigEndian.putI64(buf, OpenFrame.SIZE_BYTES_OFFSET, Long.MIN_VALUE);
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(-1);
        BigEndian.putI64(buf, OpenFrame.SIZE_BYTES_OFFSET, 0);
        assertThat(OpenFrame.check(buf, 0, end - 1)).isEqualTo(-1);
        assertThat(OpenFrame.check(buf, 0, end)).isEqualTo(end);
    }
}
