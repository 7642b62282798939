package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReasonFramesTest {

    @Test
    void resultRoundTripsCodeHashAndReason() {
        ByteBuffer buf = ByteBuffer.allocate(512);
        byte[] sha = new byte[32];
        sha[0] = 1;
        sha[31] = 2;
        int end = ResultFrame.encode(buf, 2, 0x0A0B0C0DL, ErrorCode.HASH_MISMATCH, sha, "hash differs");
        assertThat(end - 2).isEqualTo(ResultFrame.encodedLength("hash differs")).isEqualTo(40 + 12);
        assertThat(TestSeeds.hex(buf, 2, 2 + 8)).isEqualTo("13" + "0a0b0c0d" + "0005" + "01");
        ResultFrame result = new ResultFrame().wrap(buf, 2);
        assertThat(result.transferId()).isEqualTo(0x0A0B0C0DL);
        assertThat(result.code()).isEqualTo(ErrorCode.HASH_MISMATCH);
        byte[] copy = new byte[32];
        result.copySha256(copy);
        assertThat(copy).isEqualTo(sha);
        assertThat(result.reason()).isEqualTo("hash differs");
        assertThat(result.length()).isEqualTo(52);
        assertThat(ResultFrame.check(buf, 2, end)).isEqualTo(52);

        result.writeType().transferId(1).code(ErrorCode.OK).sha256(null);
        result.copySha256(copy);
        assertThat(copy).containsOnly(0);
        assertThat(result.code()).isZero();
    }

    @Test
    void resultWithoutHashSendsZeros() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        for (int i = 0; i < 64; i++) {
            buf.put(i, (byte) 0xEE);
        }
        int end = ResultFrame.encode(buf, 0, 0, ErrorCode.REFUSED, null, null);
        assertThat(end).isEqualTo(40);
        assertThat(TestSeeds.hex(buf, 7, 40)).isEqualTo("00".repeat(33));
    }

    @Test
    void cancelAndCloseRoundTrip() {
        ByteBuffer buf = ByteBuffer.allocate(128);
        int end = CancelFrame.encode(buf, 0, 0x0102, ErrorCode.CANCELLED, "user pressed ^C");
        CancelFrame cancel = new CancelFrame().wrap(buf, 0);
        assertThat(TestSeeds.hex(buf, 0, 8)).isEqualTo("14" + "00000102" + "0007" + "0f");
        assertThat(cancel.transferId()).isEqualTo(0x0102);
        assertThat(cancel.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(cancel.reason()).isEqualTo("user pressed ^C");
        assertThat(cancel.length()).isEqualTo(end).isEqualTo(CancelFrame.encodedLength("user pressed ^C"));
        assertThat(CancelFrame.check(buf, 0, end)).isEqualTo(end);
        cancel.writeType().transferId(9).code(ErrorCode.INTERNAL);
        assertThat(cancel.transferId()).isEqualTo(9);
        assertThat(cancel.code()).isEqualTo(ErrorCode.INTERNAL);

        end = CloseFrame.encode(buf, 0, ErrorCode.IDLE_TIMEOUT, "");
        CloseFrame close = new CloseFrame().wrap(buf, 0);
        assertThat(end).isEqualTo(4).isEqualTo(CloseFrame.encodedLength(null));
        assertThat(TestSeeds.hex(buf, 0, 4)).isEqualTo("1c" + "0008" + "00");
        assertThat(close.code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
        assertThat(close.reason()).isEmpty();
        assertThat(CloseFrame.check(buf, 0, end)).isEqualTo(4);
        close.writeType().code(ErrorCode.CLOSED);
        assertThat(close.code()).isEqualTo(ErrorCode.CLOSED);
    }

    @Test
    void longReasonsAreCutAtACharacterBoundaryInsteadOfRejected() {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        String reason = "a" + "€".repeat(200); // 1 + 600 bytes
        int end = CloseFrame.encode(buf, 0, ErrorCode.INTERNAL, reason);
        CloseFrame close = new CloseFrame().wrap(buf, 0);
        // 1 + 3k <= 255 gives k = 84: 253 bytes; a 254th byte would split a euro sign.
        assertThat(close.reasonLength()).isEqualTo(253);
        assertThat(close.reason()).isEqualTo("a" + "€".repeat(84));
        assertThat(CloseFrame.check(buf, 0, end)).isEqualTo(4 + 253);

        String emoji = "🚲".repeat(100); // 4 bytes each: 63 fit (252 bytes)
        end = ResultFrame.encode(buf, 0, 1, 1, null, emoji);
        assertThat(new ResultFrame().wrap(buf, 0).reason()).isEqualTo("🚲".repeat(63));
        assertThat(ResultFrame.check(buf, 0, end)).isEqualTo(end);

        end = CancelFrame.encode(buf, 0, 1, 1, "x".repeat(1_000_000));
        assertThat(new CancelFrame().wrap(buf, 0).reasonLength()).isEqualTo(255);
        assertThat(CancelFrame.check(buf, 0, end)).isEqualTo(8 + 255);
    }

    @Test
    void controlCharactersAndBrokenSurrogatesInReasonsAreReplacedSoTheFrameStaysValid() {
        ByteBuffer buf = ByteBuffer.allocate(256);
        int end = CloseFrame.encode(buf, 0, 1, "line1\nline2\t\u001b[31mred\u007f \uD800!");
        CloseFrame close = new CloseFrame().wrap(buf, 0);
        assertThat(close.reason()).isEqualTo("line1 line2  [31mred  ?!");
        assertThat(CloseFrame.check(buf, 0, end)).isEqualTo(end);

        buf.put(CloseFrame.REASON_OFFSET, (byte) '\n');
        assertThat(CloseFrame.check(buf, 0, end)).isEqualTo(-1);
        buf.put(CloseFrame.REASON_OFFSET, (byte) 0xFF);
        assertThat(CloseFrame.check(buf, 0, end)).isEqualTo(-1);
        buf.put(CloseFrame.REASON_OFFSET, "L".getBytes(StandardCharsets.US_ASCII)[0]);
        assertThat(CloseFrame.check(buf, 0, end)).isEqualTo(end);
    }
}
