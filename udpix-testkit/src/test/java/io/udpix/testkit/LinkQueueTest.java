package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkQueueTest {
    private static final long MS = 1_000_000L;
    private static final int PAYLOAD = 1472; // 1500 wire bytes: 1.2 ms at 10 Mbit/s

    @Test
    void aDropTailQueueOverflowsWhenOfferedTwiceTheRateAndBoundsTheQueueingDelay() {
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).delayMillis(5).queueBytes(15_000).build();
        long interval = NumberingSender.intervalForRate(PAYLOAD, 20_000_000);
        OneWay w = new OneWay(51, spec, 10_000, PAYLOAD, interval);
        w.runToEnd();

        LinkStats s = w.link.stats();
        assertThat(s.droppedQueue()).isBetween(4_900L, 5_100L);
        assertThat(s.maxQueueBytes()).isLessThanOrEqualTo(15_000).isGreaterThan(13_500);
        // A full queue of 10 datagrams: an accepted one waits for at most 9 ahead of it plus the rest of one.
        long p95 = s.queueDelayPercentileNs(0.95);
        assertThat(p95).isBetween(9 * 1_200_000L * 63 / 64, 10 * 1_200_000L);
        assertThat(s.queueDelay().maxNs()).isLessThanOrEqualTo(10 * 1_200_000L);
        assertThat(s.queueDelay().count()).isEqualTo(w.receiver.count());
    }

    @Test
    void aQueueAcceptsExactlyWhatFits() {
        // Three datagrams of 1500 wire bytes at once into a 3000-byte queue: the third does not fit.
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).queueBytes(3_000).build();
        OneWay w = new OneWay(52, spec, 3, PAYLOAD, 0);
        w.runToEnd();
        assertThat(w.receiver.count()).isEqualTo(2);
        assertThat(w.link.stats().droppedQueue()).isEqualTo(1);
        assertThat(w.link.stats().queueDelayPercentileNs(1.0)).isEqualTo(1_200_000L);
    }

    @Test
    void anUnderloadedLinkNeverQueues() {
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).queueBytes(15_000).build();
        OneWay w = new OneWay(53, spec, 5_000, PAYLOAD, NumberingSender.intervalForRate(PAYLOAD, 5_000_000));
        w.runToEnd();
        assertThat(w.receiver.count()).isEqualTo(5_000);
        assertThat(w.link.stats().queueDelayPercentileNs(0.95)).isZero();
        assertThat(w.link.stats().maxQueueBytes()).isEqualTo(1_500);
    }

    @Test
    void anUnlimitedQueueDelaysInsteadOfDropping() {
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(1).build();
        OneWay w = new OneWay(54, spec, 100, PAYLOAD, 0); // 100 x 12 ms of serialization, all offered at 0
        w.runToEnd();
        assertThat(w.receiver.count()).isEqualTo(100);
        assertThat(w.link.stats().queueDelay().maxNs()).isEqualTo(99 * 12 * MS);
        assertThat(w.link.stats().maxQueueBytes()).isEqualTo(150_000);
    }
}
