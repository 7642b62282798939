package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkDelayAndReorderTest {
    private static final long MS = 1_000_000L;

    @Test
    void jitterVariesTheDelayWithinBoundsButNeverReorders() {
        LinkSpec spec = LinkSpec.builder().delayMillis(10).jitterNs(5 * MS).build();
        OneWay w = new OneWay(11, spec, 10_000, 100, 100_000); // one every 0.1 ms: much less than the jitter
        w.runToEnd();

        RecordingReceiver r = w.receiver;
        assertThat(r.count()).isEqualTo(10_000);
        Set<Long> distinctDelays = new HashSet<>();
        for (int i = 0; i < r.count(); i++) {
            assertThat(r.seq(i)).as("arrival %d", i).isEqualTo(i);
            long delayNs = r.timeNs(i) - w.sender.sendTimeNs(r.seq(i));
            assertThat(delayNs).isBetween(10 * MS, 15 * MS);
            distinctDelays.add(delayNs);
        }
        assertThat(distinctDelays).hasSizeGreaterThan(1_000);
    }

    @Test
    void aReorderedDatagramArrivesAfterLaterOnesAndTheRestStayInOrder() {
        LinkSpec spec = LinkSpec.builder().delayMillis(10).reorder(0.2, 5 * MS).build();
        OneWay w = new OneWay(12, spec, 10_000, 100, MS);
        w.runToEnd();

        RecordingReceiver r = w.receiver;
        assertThat(r.count()).isEqualTo(10_000);
        long overtaken = 0;
        long highest = -1;
        for (int i = 0; i < r.count(); i++) {
            long seq = r.seq(i);
            long delayNs = r.timeNs(i) - w.sender.sendTimeNs(seq);
            if (seq < highest) {
                overtaken++;
                assertThat(delayNs).as("a late arrival is a reordered one").isEqualTo(15 * MS);
            } else {
                highest = seq;
            }
            assertThat(delayNs).isIn(10 * MS, 15 * MS);
        }
        // 5 ms extra at 1 ms spacing: every reordered datagram is overtaken (unless it is among the last).
        long reordered = w.link.stats().reordered();
        assertThat(reordered).isBetween(1_800L, 2_200L);
        assertThat(overtaken).isBetween(reordered - 5, reordered);
    }

    @Test
    void withoutReorderingArrivalsKeepSendingOrderUnderJitterAndRate() {
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).delayMillis(3).jitterNs(2 * MS).build();
        OneWay w = new OneWay(13, spec, 2_000, 1000, 300_000);
        w.runToEnd();
        for (int i = 0; i < w.receiver.count(); i++) {
            assertThat(w.receiver.seq(i)).isEqualTo(i);
        }
    }
}
