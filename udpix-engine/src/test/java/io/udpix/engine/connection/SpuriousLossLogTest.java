package io.udpix.engine.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.wire.AckFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpuriousLossLogTest {
    private final List<long[]> reported = new ArrayList<>();
    private final SpuriousLossLog.Sink sink = (sizeBytes, lostAtNs) -> reported.add(new long[] {sizeBytes, lostAtNs});

    /** An ACK frame for [lo1, hi1] and, below it after a gap, [lo2, hi2]. */
    private static AckFrame ack(long hi1, long lo1, long hi2, long lo2) {
        AckFrame f = new AckFrame().wrap(ByteBuffer.allocate(AckFrame.HEADER_LENGTH + AckFrame.RANGE_ENTRY_LENGTH), 0);
        f.writeType().largestAcknowledged(hi1).ackDelayUs(0).firstRange(hi1 - lo1).rangeCount(1);
        f.gap(0, lo1 - hi2 - 2).rangeLength(0, hi2 - lo2);
        return f;
    }

    /** An ACK frame for [0, hi] alone. */
    private static AckFrame ackUpTo(long hi) {
        AckFrame f = new AckFrame().wrap(ByteBuffer.allocate(AckFrame.HEADER_LENGTH), 0);
        f.writeType().largestAcknowledged(hi).ackDelayUs(0).firstRange(hi).rangeCount(0);
        return f;
    }

    @Test
    void anAckCoveringAPacketDeclaredLostReportsItOnceWithItsSizeAndLossTime() {
        SpuriousLossLog log = new SpuriousLossLog();
        log.onLost(5, 1200, 100);
        log.onLost(9, 1300, 200);
        log.onLost(30, 1400, 300);
        log.onAck(ack(20, 12, 9, 0), sink); // covers 5 and 9, not 30
        assertThat(reported).extracting(r -> r[0]).containsExactlyInAnyOrder(1200L, 1300L);
        assertThat(reported).extracting(r -> r[1]).containsExactlyInAnyOrder(100L, 200L);
        reported.clear();
        log.onAck(ackUpTo(40), sink); // covers everything: only 30 is left to report
        assertThat(reported).extracting(r -> r[0]).containsExactly(1400L);
    }

    @Test
    void anAckMissingTheLostPacketsReportsNothing() {
        SpuriousLossLog log = new SpuriousLossLog();
        log.onLost(10, 1200, 100);
        log.onAck(ack(20, 11, 8, 0), sink); // the gap is exactly packet 9..10
        assertThat(reported).isEmpty();
    }

    @Test
    void keepsOnlyTheLatestCapacityRecords() {
        SpuriousLossLog log = new SpuriousLossLog();
        for (int pn = 0; pn < SpuriousLossLog.CAPACITY + 10; pn++) {
            log.onLost(pn, 1000, pn);
        }
        log.onAck(ackUpTo(SpuriousLossLog.CAPACITY + 100), sink);
        assertThat(reported).hasSize(SpuriousLossLog.CAPACITY);
        assertThat(reported).extracting(r -> r[1]).doesNotContain(0L, 9L).contains(10L);
    }
}
