package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AckFrameTest {

    @Test
    void roundTripsRangesAsRfc9000Describes() {
        // Acknowledges 100..95, 90..88, 80..80: gaps skip 94..91 (4 numbers: gap 3) and 87..81 (7: gap 6).
        ByteBuffer buf = ByteBuffer.allocate(64);
        AckFrame ack = new AckFrame().wrap(buf, 3).writeType()
                .largestAcknowledged(100).ackDelayUs(0x01020304L).firstRange(5).rangeCount(2)
                .gap(0, 3).rangeLength(0, 2)
                .gap(1, 6).rangeLength(1, 0);

        assertThat(ack.length()).isEqualTo(AckFrame.length(2)).isEqualTo(30);
        assertThat(AckFrame.check(buf, 3, 3 + 30)).isEqualTo(30);
        assertThat(ack.largestAcknowledged()).isEqualTo(100);
        assertThat(ack.ackDelayUs()).isEqualTo(0x01020304L);
        assertThat(ack.firstRange()).isEqualTo(5);
        assertThat(ack.rangeCount()).isEqualTo(2);
        assertThat(ack.gap(0)).isEqualTo(3);
        assertThat(ack.rangeLength(0)).isEqualTo(2);
        assertThat(ack.gap(1)).isEqualTo(6);
        assertThat(ack.rangeLength(1)).isZero();
        assertThat(TestSeeds.hex(buf, 3, 3 + 14)).isEqualTo("02" + "00000064" + "01020304" + "02" + "00000005");
        assertThat(AckFrame.gapOffset(1)).isEqualTo(22);
    }

    @Test
    void checkAcceptsRangesEndingExactlyAtPacketZeroAndRejectsRangesBelowIt() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        AckFrame ack = new AckFrame().wrap(buf, 0).writeType()
                .largestAcknowledged(10).ackDelayUs(0).firstRange(2).rangeCount(1).gap(0, 0).rangeLength(0, 6);
        // 10..8 acknowledged, 7 missing, 6..0 acknowledged: the smallest is exactly 0.
        assertThat(AckFrame.check(buf, 0, 22)).isEqualTo(22);
        ack.rangeLength(0, 7);
        assertThat(AckFrame.check(buf, 0, 22)).isEqualTo(-1);
        ack.rangeCount(0).firstRange(11);
        assertThat(AckFrame.check(buf, 0, 14)).isEqualTo(-1);
        ack.firstRange(10);
        assertThat(AckFrame.check(buf, 0, 14)).isEqualTo(14);
    }

    @Test
    void checkRejectsMoreThanSixtyFourRangesAndTruncatedRanges() {
        ByteBuffer buf = ByteBuffer.allocate(AckFrame.length(65));
        AckFrame ack = new AckFrame().wrap(buf, 0).writeType().largestAcknowledged(BigEndian.MAX_U32);
        BigEndian.putU8(buf, AckFrame.RANGE_COUNT_OFFSET, 65);
        assertThat(AckFrame.check(buf, 0, buf.limit())).isEqualTo(-1);
        ack.rangeCount(64);
        assertThat(AckFrame.check(buf, 0, AckFrame.length(64))).isEqualTo(AckFrame.length(64));
        assertThat(AckFrame.check(buf, 0, AckFrame.length(64) - 1)).isEqualTo(-1);
        assertThatThrownBy(() -> ack.rangeCount(65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ack.gap(64, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
