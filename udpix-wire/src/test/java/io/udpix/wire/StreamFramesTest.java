package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The frame-stream frames 0x20..0x24 (docs/PROTOCOL.md sections 4.12-4.16) and their capability entries. */
class StreamFramesTest {

    @Test
    void streamOpenRoundTripsEveryFieldInTheDocumentedLayout() {
        ByteBuffer buf = ByteBuffer.allocate(128);
        byte[] name = StreamOpenFrame.encodeName("cam-1");
        int end = StreamOpenFrame.encode(buf, 3, 0x01020304L, 0, 0, 150, 3000, 1280, 720, 0x0102030405L, name);
        assertThat(end - 3).isEqualTo(StreamOpenFrame.encodedLength(5)).isEqualTo(29);
        assertThat(TestSeeds.hex(buf, 3, end)).isEqualTo("20" + "01020304" + "00" + "00" + "0096" + "0bb8" + "0500"
                + "02d0" + "0000000102030405" + "05" + "63616d2d31");
        StreamOpenFrame f = new StreamOpenFrame().wrap(buf, 3);
        assertThat(f.streamId()).isEqualTo(0x01020304L);
        assertThat(f.codec()).isZero();
        assertThat(f.flags()).isZero();
        assertThat(f.latencyBudgetMs()).isEqualTo(150);
        assertThat(f.fpsHintCenti()).isEqualTo(3000);
        assertThat(f.width()).isEqualTo(1280);
        assertThat(f.height()).isEqualTo(720);
        assertThat(f.senderClockUs()).isEqualTo(0x0102030405L);
        assertThat(f.name()).isEqualTo("cam-1");
        assertThat(f.length()).isEqualTo(29);
        assertThat(StreamOpenFrame.check(buf, 3, end)).isEqualTo(29);
        assertThat(StreamOpenFrame.check(buf, 3, 128)).as("frames may be followed by more frames").isEqualTo(29);
        assertThat(FrameType.check(FrameType.STREAM_OPEN, buf, 3, end)).isEqualTo(29);
    }

    @Test
    void streamOpenCheckRejectsBadBudgetsNegativeClocksBadNamesAndTruncation() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int end = StreamOpenFrame.encode(buf, 0, 1, 3, 0, 1, 0, 0, 0, 0, StreamOpenFrame.encodeName("ab"));
        for (int cut = 0; cut < end; cut++) {
            assertThat(StreamOpenFrame.check(buf, 0, cut)).as("truncated to %s", cut).isEqualTo(-1);
        }
        assertThat(StreamOpenFrame.check(buf, 0, end)).isEqualTo(end);
        BigEndian.putU16(buf, StreamOpenFrame.LATENCY_BUDGET_MS_OFFSET, 0);
        assertThat(StreamOpenFrame.check(buf, 0, end)).as("budget 0").isEqualTo(-1);
        BigEndian.putU16(buf, StreamOpenFrame.LATENCY_BUDGET_MS_OFFSET, 10_001);
        assertThat(StreamOpenFrame.check(buf, 0, end)).as("budget 10,001").isEqualTo(-1);
        BigEndian.putU16(buf, StreamOpenFrame.LATENCY_BUDGET_MS_OFFSET, 10_000);
        assertThat(StreamOpenFrame.check(buf, 0, end)).isEqualTo(end);
        BigEndian.putI64(buf, StreamOpenFrame.SENDER_CLOCK_US_OFFSET, -1);
        assertThat(StreamOpenFrame.check(buf, 0, end)).as("negative clock").isEqualTo(-1);
        BigEndian.putI64(buf, StreamOpenFrame.SENDER_CLOCK_US_OFFSET, 7);
        buf.put(StreamOpenFrame.NAME_OFFSET, (byte) 0x0A);
        assertThat(StreamOpenFrame.check(buf, 0, end)).as("a newline in the name").isEqualTo(-1);
        buf.put(StreamOpenFrame.NAME_OFFSET, (byte) 0xC3);
        assertThat(StreamOpenFrame.check(buf, 0, end)).as("broken UTF-8").isEqualTo(-1);
        buf.put(StreamOpenFrame.NAME_OFFSET, (byte) 'x');
        BigEndian.putU8(buf, StreamOpenFrame.NAME_LENGTH_OFFSET, 200);
        assertThat(StreamOpenFrame.check(buf, 0, 64)).as("name past the limit").isEqualTo(-1);
        BigEndian.putU8(buf, StreamOpenFrame.NAME_LENGTH_OFFSET, 2);
        BigEndian.putU8(buf, StreamOpenFrame.CODEC_OFFSET, 0xEE);
        assertThat(StreamOpenFrame.check(buf, 0, end)).as("unknown codecs read as OTHER").isEqualTo(end);
        BigEndian.putU8(buf, 0, FrameType.FRAGMENT);
        assertThat(StreamOpenFrame.check(buf, 0, end)).as("wrong type").isEqualTo(-1);
        assertThat(StreamOpenFrame.check(null, 0, end)).isEqualTo(-1);
        assertThat(StreamOpenFrame.check(buf, -1, end)).isEqualTo(-1);
        assertThat(StreamOpenFrame.check(buf, 0, 65)).isEqualTo(-1);
    }

    @Test
    void streamOpenEncodeRefusesWhatCheckWouldRejectAndWritesNothing() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        assertThatThrownBy(() -> StreamOpenFrame.encode(buf, 0, 1, 0, 0, 0, 0, 0, 0, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latencyBudgetMs");
        assertThatThrownBy(() -> StreamOpenFrame.encode(buf, 0, 1, 0, 0, 10_001, 0, 0, 0, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamOpenFrame.encode(buf, 0, 1, 0, 0, 5, 0, 0, 0, -1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("senderClockUs");
        assertThatThrownBy(() -> StreamOpenFrame.encode(buf, 0, 1, 0, 0, 5, 0, 0, 0, 0, new byte[] {0x07}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encodeName");
        assertThatThrownBy(() -> StreamOpenFrame.encodeName("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamOpenFrame.encodeNameLenient("a\nb")).containsExactly('a', ' ', 'b');
        assertThat(StreamOpenFrame.encodeNameLenient("x".repeat(300))).hasSize(255);
        assertThatThrownBy(() -> StreamOpenFrame.encode(buf, 50, 1, 0, 0, 5, 0, 0, 0, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 64");
        assertThat(buf.array()).containsOnly(0);
    }

    @Test
    void fragmentRoundTripsAndItsDataIsTheFragmentsSliceOfTheFrame() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        // A 10-byte frame in 4-byte fragments: 0 [0,4), 1 [4,8), 2 [8,10).
        int data = FragmentFrame.writeHeader(buf, 2, 7, 0xFFFF_FFFFL, FragmentFrame.FLAG_RETRANSMISSION, 123_456, 10,
                4, 2);
        assertThat(data).isEqualTo(2 + FragmentFrame.HEADER_LENGTH);
        buf.put(data, new byte[] {8, 9});
        assertThat(TestSeeds.hex(buf, 2, data + 2)).isEqualTo("21" + "00000007" + "ffffffff" + "01"
                + "000000000001e240" + "0000000a" + "0004" + "0002" + "0002" + "0809");
        FragmentFrame f = new FragmentFrame().wrap(buf, 2);
        assertThat(f.streamId()).isEqualTo(7);
        assertThat(f.frameNumber()).isEqualTo(0xFFFF_FFFFL);
        assertThat(f.retransmission()).isTrue();
        assertThat(f.captureUs()).isEqualTo(123_456);
        assertThat(f.frameLength()).isEqualTo(10);
        assertThat(f.fragmentSize()).isEqualTo(4);
        assertThat(f.fragmentIndex()).isEqualTo(2);
        assertThat(f.dataLength()).isEqualTo(2);
        assertThat(f.dataOffset()).isEqualTo(data);
        assertThat(f.length()).isEqualTo(30);
        assertThat(FragmentFrame.check(buf, 2, data + 2)).isEqualTo(30);
        assertThat(FrameType.check(FrameType.FRAGMENT, buf, 2, data + 2)).isEqualTo(30);
        for (int cut = 2; cut < data + 2; cut++) {
            assertThat(FragmentFrame.check(buf, 2, cut)).as("truncated to %s", cut).isEqualTo(-1);
        }
        assertThat(FragmentFrame.fragmentCount(10, 4)).isEqualTo(3);
        assertThat(FragmentFrame.fragmentDataLength(10, 4, 0)).isEqualTo(4);
        assertThat(FragmentFrame.fragmentDataLength(10, 4, 2)).isEqualTo(2);
    }

    @Test
    void fragmentCheckRejectsEveryLayoutRuleBreach() {
        ByteBuffer buf = ByteBuffer.allocate(128);
        int data = FragmentFrame.writeHeader(buf, 0, 1, 1, 0, 0, 10, 4, 0);
        int end = data + 4;
        assertThat(FragmentFrame.check(buf, 0, end)).isEqualTo(32);
        BigEndian.putU16(buf, FragmentFrame.DATA_LENGTH_OFFSET, 3);
        assertThat(FragmentFrame.check(buf, 0, end)).as("data shorter than the fragment").isEqualTo(-1);
        BigEndian.putU16(buf, FragmentFrame.DATA_LENGTH_OFFSET, 4);
        BigEndian.putU16(buf, FragmentFrame.FRAGMENT_INDEX_OFFSET, 3);
        assertThat(FragmentFrame.check(buf, 0, end)).as("index past the last fragment").isEqualTo(-1);
        BigEndian.putU16(buf, FragmentFrame.FRAGMENT_INDEX_OFFSET, 2);
        assertThat(FragmentFrame.check(buf, 0, end)).as("the last fragment is 2 bytes, not 4").isEqualTo(-1);
        BigEndian.putU16(buf, FragmentFrame.FRAGMENT_INDEX_OFFSET, 0);
        BigEndian.putU16(buf, FragmentFrame.FRAGMENT_SIZE_OFFSET, 0);
        assertThat(FragmentFrame.check(buf, 0, end)).as("fragment size 0").isEqualTo(-1);
        BigEndian.putU16(buf, FragmentFrame.FRAGMENT_SIZE_OFFSET, 4);
        BigEndian.putU32(buf, FragmentFrame.FRAME_LENGTH_OFFSET, 0);
        assertThat(FragmentFrame.check(buf, 0, end)).as("empty frame").isEqualTo(-1);
        BigEndian.putU32(buf, FragmentFrame.FRAME_LENGTH_OFFSET, 0x8000_0000L);
        assertThat(FragmentFrame.check(buf, 0, end)).as("frame of 2^31 bytes").isEqualTo(-1);
        BigEndian.putU32(buf, FragmentFrame.FRAME_LENGTH_OFFSET, 4L * 65_536 + 1);
        assertThat(FragmentFrame.check(buf, 0, end)).as("65,537 fragments").isEqualTo(-1);
        BigEndian.putU32(buf, FragmentFrame.FRAME_LENGTH_OFFSET, 4L * 65_536);
        assertThat(FragmentFrame.check(buf, 0, end)).as("65,536 fragments is the most").isEqualTo(32);
        BigEndian.putI64(buf, FragmentFrame.CAPTURE_US_OFFSET, Long.MIN_VALUE);
        assertThat(FragmentFrame.check(buf, 0, end)).as("negative capture time").isEqualTo(-1);
        BigEndian.putI64(buf, FragmentFrame.CAPTURE_US_OFFSET, 0);
        BigEndian.putU8(buf, FragmentFrame.FLAGS_OFFSET, 0xFE);
        assertThat(FragmentFrame.check(buf, 0, end)).as("unknown flag bits are ignored").isEqualTo(32);
        assertThat(FragmentFrame.check(buf, 0, end - 1)).isEqualTo(-1);
        assertThat(FragmentFrame.check(buf, 0, 129)).isEqualTo(-1);
    }

    @Test
    void fragmentWriteHeaderRefusesBadLayoutsAndIndexes() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        assertThatThrownBy(() -> FragmentFrame.writeHeader(buf, 0, 1, 1, 0, 0, 0, 4, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> FragmentFrame.writeHeader(buf, 0, 1, 1, 0, 0, 10, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FragmentFrame.writeHeader(buf, 0, 1, 1, 0, 0, 1_000_000, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536 fragments");
        assertThatThrownBy(() -> FragmentFrame.writeHeader(buf, 0, 1, 1, 0, 0, 10, 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..2");
        assertThatThrownBy(() -> FragmentFrame.writeHeader(buf, 0, 1, 1, 0, 0, 100, 40, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 64");
        assertThat(buf.array()).containsOnly(0);
    }

    @Test
    void aParityStrideAboveTheU16RangeIsRefusedByTheWriterNotWrittenAsZero() {
        // 65,536 one-byte fragments: ceil(L/F) allows a stride of 65,536, which a u16 cannot hold (fuzz seed
        // 2471075880178392438 wrote it as 0, an encoding check() then rightly refused).
        ByteBuffer buf = ByteBuffer.allocate(64);
        assertThatThrownBy(() -> ParityFrame.writeHeader(buf, 0, 1, 1, 0, 0, 65_536, 1, 65_536, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride <= 65535");
        int data = ParityFrame.writeHeader(buf, 0, 1, 1, 0, 0, 65_536, 1, 65_535, 65_534);
        assertThat(ParityFrame.check(buf, 0, data + 1)).isEqualTo(ParityFrame.HEADER_LENGTH + 1);
    }

    @Test
    void parityRoundTripsAndCheckJudgesStrideGroupAndLength() {
        ByteBuffer buf = ByteBuffer.allocate(128);
        // 10 fragments of 8 bytes; stride 3: columns {0,3,6,9}, {1,4,7}, {2,5,8}.
        int data = ParityFrame.writeHeader(buf, 1, 9, 42, 0, 5, 80, 8, 3, 2);
        for (int i = 0; i < 8; i++) {
            buf.put(data + i, (byte) (0xA0 + i));
        }
        int end = data + 8;
        assertThat(TestSeeds.hex(buf, 1, data)).isEqualTo("22" + "00000009" + "0000002a" + "00"
                + "0000000000000005" + "00000050" + "0008" + "0003" + "0002" + "0008");
        ParityFrame f = new ParityFrame().wrap(buf, 1);
        assertThat(f.streamId()).isEqualTo(9);
        assertThat(f.frameNumber()).isEqualTo(42);
        assertThat(f.flags()).isZero();
        assertThat(f.captureUs()).isEqualTo(5);
        assertThat(f.frameLength()).isEqualTo(80);
        assertThat(f.fragmentSize()).isEqualTo(8);
        assertThat(f.stride()).isEqualTo(3);
        assertThat(f.group()).isEqualTo(2);
        assertThat(f.dataLength()).isEqualTo(8);
        assertThat(f.dataOffset()).isEqualTo(data);
        assertThat(f.length()).isEqualTo(38);
        assertThat(ParityFrame.check(buf, 1, end)).isEqualTo(38);
        assertThat(FrameType.check(FrameType.PARITY, buf, 1, end)).isEqualTo(38);
        for (int cut = 1; cut < end; cut++) {
            assertThat(ParityFrame.check(buf, 1, cut)).as("truncated to %s", cut).isEqualTo(-1);
        }
        BigEndian.putU16(buf, 1 + ParityFrame.GROUP_OFFSET, 3);
        assertThat(ParityFrame.check(buf, 1, end)).as("group = stride").isEqualTo(-1);
        BigEndian.putU16(buf, 1 + ParityFrame.GROUP_OFFSET, 0);
        BigEndian.putU16(buf, 1 + ParityFrame.STRIDE_OFFSET, 0);
        assertThat(ParityFrame.check(buf, 1, end)).as("stride 0").isEqualTo(-1);
        BigEndian.putU16(buf, 1 + ParityFrame.STRIDE_OFFSET, 11);
        assertThat(ParityFrame.check(buf, 1, end)).as("stride above the fragment count").isEqualTo(-1);
        BigEndian.putU16(buf, 1 + ParityFrame.STRIDE_OFFSET, 10);
        assertThat(ParityFrame.check(buf, 1, end)).as("stride = fragment count").isEqualTo(38);
        BigEndian.putU16(buf, 1 + ParityFrame.DATA_LENGTH_OFFSET, 7);
        assertThat(ParityFrame.check(buf, 1, end)).as("parity shorter than F").isEqualTo(-1);
        BigEndian.putU16(buf, 1 + ParityFrame.DATA_LENGTH_OFFSET, 8);
        BigEndian.putU32(buf, 1 + ParityFrame.FRAME_LENGTH_OFFSET, 0);
        assertThat(ParityFrame.check(buf, 1, end)).as("empty frame").isEqualTo(-1);
        assertThatThrownBy(() -> ParityFrame.writeHeader(buf, 0, 1, 1, 0, 0, 80, 8, 11, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride 11");
        assertThatThrownBy(() -> ParityFrame.writeHeader(buf, 0, 1, 1, 0, 0, 80, 8, 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void abandonRoundTripsAndIsExactlyNineBytes() {
        ByteBuffer buf = ByteBuffer.allocate(16);
        int end = AbandonFrame.encode(buf, 4, 0xFFFF_FFFFL, 12);
        assertThat(end).isEqualTo(13);
        assertThat(TestSeeds.hex(buf, 4, end)).isEqualTo("23" + "ffffffff" + "0000000c");
        AbandonFrame f = new AbandonFrame().wrap(buf, 4);
        assertThat(f.streamId()).isEqualTo(0xFFFF_FFFFL);
        assertThat(f.frameNumber()).isEqualTo(12);
        assertThat(AbandonFrame.check(buf, 4, end)).isEqualTo(9);
        assertThat(AbandonFrame.check(buf, 4, 16)).isEqualTo(9);
        assertThat(AbandonFrame.check(buf, 4, end - 1)).isEqualTo(-1);
        assertThat(FrameType.check(FrameType.ABANDON, buf, 4, end)).isEqualTo(9);
        buf.put(4, (byte) FrameType.CANCEL);
        assertThat(AbandonFrame.check(buf, 4, end)).isEqualTo(-1);
        assertThatThrownBy(() -> AbandonFrame.encode(buf, 8, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AbandonFrame.encode(buf, 0, 1L << 32, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamCloseRoundTripsAndSanitizesItsReason() {
        ByteBuffer buf = ByteBuffer.allocate(512);
        int end = StreamCloseFrame.encode(buf, 0, 3, 1000, ErrorCode.TOO_MANY_TRANSFERS, "limit\n16");
        assertThat(TestSeeds.hex(buf, 0, StreamCloseFrame.REASON_OFFSET)).isEqualTo("24" + "00000003" + "000003e8"
                + "0004" + "08");
        StreamCloseFrame f = new StreamCloseFrame().wrap(buf, 0);
        assertThat(f.streamId()).isEqualTo(3);
        assertThat(f.frames()).isEqualTo(1000);
        assertThat(f.code()).isEqualTo(ErrorCode.TOO_MANY_TRANSFERS);
        assertThat(f.reason()).isEqualTo("limit 16");
        assertThat(f.length()).isEqualTo(end).isEqualTo(StreamCloseFrame.encodedLength("limit\n16"));
        assertThat(StreamCloseFrame.check(buf, 0, end)).isEqualTo(20);
        assertThat(FrameType.check(FrameType.STREAM_CLOSE, buf, 0, end)).isEqualTo(20);
        for (int cut = 0; cut < end; cut++) {
            assertThat(StreamCloseFrame.check(buf, 0, cut)).as("truncated to %s", cut).isEqualTo(-1);
        }
        buf.put(StreamCloseFrame.REASON_OFFSET, (byte) 0x00);
        assertThat(StreamCloseFrame.check(buf, 0, end)).as("a NUL in the reason").isEqualTo(-1);
        int longEnd = StreamCloseFrame.encode(buf, 0, 3, 0, ErrorCode.OK, "x".repeat(1000));
        assertThat(longEnd).as("reasons are cut to 255 bytes").isEqualTo(12 + 255);
        assertThat(StreamCloseFrame.encode(buf, 0, 3, 0, ErrorCode.OK, (String) null)).isEqualTo(12);
        assertThat(StreamCloseFrame.encode(buf, 0, 3, 0, ErrorCode.OK,
                StreamCloseFrame.encodeReason("é"))).isEqualTo(14);
        assertThatThrownBy(() -> StreamCloseFrame.encode(buf, 0, 3, 0, 0, new byte[] {(byte) 0xFF}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamCloseFromTheReceiverIsMarkedByAllOnesFramesWhichNoSenderMayUse() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int end = StreamCloseFrame.encodeFromReceiver(buf, 0, 5, ErrorCode.REFUSED,
                StreamCloseFrame.encodeReason("no"));
        assertThat(TestSeeds.hex(buf, 0, end)).isEqualTo("24" + "00000005" + "ffffffff" + "0006" + "02" + "6e6f");
        StreamCloseFrame f = new StreamCloseFrame().wrap(buf, 0);
        assertThat(f.fromReceiver()).isTrue();
        assertThat(f.frames()).isEqualTo(StreamCloseFrame.FROM_RECEIVER);
        StreamCloseFrame.encode(buf, 0, 5, 0, ErrorCode.OK, "");
        assertThat(f.fromReceiver()).as("a sender that started no frame").isFalse();
        StreamCloseFrame.encode(buf, 0, 5, StreamCloseFrame.FROM_RECEIVER - 1, ErrorCode.OK, "");
        assertThat(f.fromReceiver()).isFalse();
        assertThatThrownBy(() -> StreamCloseFrame.encode(buf, 0, 5, StreamCloseFrame.FROM_RECEIVER, 0, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStreamFramesAreInTheOneFrameTableAndAckEliciting() {
        int[] types = {FrameType.STREAM_OPEN, FrameType.FRAGMENT, FrameType.PARITY, FrameType.ABANDON,
            FrameType.STREAM_CLOSE};
        int[] values = {0x20, 0x21, 0x22, 0x23, 0x24};
        for (int i = 0; i < types.length; i++) {
            assertThat(types[i]).isEqualTo(values[i]);
            assertThat(FrameType.isAckEliciting(types[i])).isTrue();
            assertThat(FrameType.isStreamFrame(types[i])).isTrue();
            assertThat(FrameType.name(types[i])).doesNotStartWith("UNKNOWN");
        }
        assertThat(FrameType.isStreamFrame(FrameType.CLOSE)).isFalse();
        assertThat(FrameType.isStreamFrame(0x25)).isFalse();
        assertThat(FrameType.name(0x25)).isEqualTo("UNKNOWN(0x25)");
        assertThat(FrameType.check(0x25, ByteBuffer.allocate(8), 0, 8)).isEqualTo(-1);
    }

    @Test
    void unsupportedFeatureIsErrorTwentyThreeAndSaysToUpgrade() {
        assertThat(ErrorCode.UNSUPPORTED_FEATURE).isEqualTo(23);
        assertThat(ErrorCode.name(23)).isEqualTo("UNSUPPORTED_FEATURE");
        assertThat(ErrorCode.describe(23)).contains("older udpix").contains("upgrade");
        assertThat(ErrorCode.known(23)).isTrue();
    }

    @Test
    void streamLimitsEntryRoundTripsAndMalformedOnesReadAsAbsent() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int end = CapabilityBlock.putNumber(buf, 0, CapabilityBlock.FEATURES, 4,
                CapabilityBlock.FEATURE_DIGEST_FOLLOWS | CapabilityBlock.FEATURE_STREAMS);
        end = CapabilityBlock.putStreamLimits(buf, end, 16, 16L << 20, 0, 10_000);
        assertThat(CapabilityBlock.check(buf, 0, end)).isEqualTo(2);
        assertThat(TestSeeds.hex(buf, 8, end)).isEqualTo("0009" + "000a" + "0010" + "01000000" + "0000" + "2710");
        assertThat(CapabilityBlock.number(buf, 0, end, CapabilityBlock.FEATURES, 0)
                & CapabilityBlock.FEATURE_STREAMS).isEqualTo(2);
        long[] limits = new long[4];
        assertThat(CapabilityBlock.streamLimits(buf, 0, end, limits)).isTrue();
        assertThat(limits).containsExactly(16, 16L << 20, 0, 10_000);

        BigEndian.putU16(buf, 8 + 4 + 6, 20_000); // min above max
        long[] untouched = {-1, -1, -1, -1};
        assertThat(CapabilityBlock.streamLimits(buf, 0, end, untouched)).isFalse();
        assertThat(untouched).containsOnly(-1);
        assertThat(CapabilityBlock.streamLimits(buf, 0, 8, untouched)).as("absent").isFalse();
        int shortEnd = CapabilityBlock.putBytes(buf, 0, CapabilityBlock.STREAM_LIMITS, new byte[8]);
        assertThat(CapabilityBlock.streamLimits(buf, 0, shortEnd, untouched)).as("8 bytes long").isFalse();
        assertThatThrownBy(() -> CapabilityBlock.putStreamLimits(buf, 0, 1, 1, 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("swap");
    }
}
