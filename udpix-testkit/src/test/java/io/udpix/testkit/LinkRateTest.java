package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkRateTest {
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void oneMegabitPerSecondCarriesOneHundredTwentyFiveThousandWireBytesPerSecond() {
        // 1222 B payload + 28 B IP/UDP = 1250 wire bytes = 10 ms at 1 Mbit/s; all offered at t=0.
        OneWay w = new OneWay(1, LinkSpec.builder().rateBitsPerSecond(1_000_000).build(), 1_000, 1222, 0);
        w.sim.runFor(10 * SECOND_NS);

        long wireBytes = w.receiver.bytes() + 28L * w.receiver.count();
        assertThat(wireBytes).isBetween(10 * 125_000L - 1250, 10 * 125_000L);
        assertThat(w.receiver.count()).isEqualTo(1_000); // the 1000th ends serialization at exactly 10 s
    }

    @Test
    void withoutOverheadTheRateCountsPayloadBytesOnly() {
        LinkSpec spec = LinkSpec.builder().rateBitsPerSecond(1_000_000).overheadBytes(0).build();
        OneWay w = new OneWay(1, spec, 500, 1250, 0);
        w.sim.runFor(2 * SECOND_NS);
        assertThat(w.receiver.bytes()).isEqualTo(2 * 125_000L);
    }

    @Test
    void arrivalIsSerializationDelayPlusPropagationDelay() {
        LinkSpec spec = LinkSpec.builder().rateBitsPerSecond(1_000_000).delayMillis(20).build();
        OneWay w = new OneWay(1, spec, 3, 1222, 0);
        w.runToEnd();
        assertThat(w.receiver.timeNs(0)).isEqualTo(30_000_000L);
        assertThat(w.receiver.timeNs(1)).isEqualTo(40_000_000L);
        assertThat(w.receiver.timeNs(2)).isEqualTo(50_000_000L);
    }

    @Test
    void fractionalSerializationTimesDoNotDrift() {
        // 972 + 28 = 1000 wire bytes at 3 Mbit/s = 2,666,666.67 ns each: rounding per datagram would drift.
        LinkSpec spec = LinkSpec.builder().rateBitsPerSecond(3_000_000).build();
        OneWay w = new OneWay(1, spec, 3_000, 972, 0);
        w.runToEnd();
        for (int i = 0; i < w.receiver.count(); i++) {
            double exactNs = (i + 1) * 8_000.0 * 1e9 / 3e6;
            assertThat((double) w.receiver.timeNs(i)).isBetween(exactNs, exactNs + 1);
        }
        assertThat(w.receiver.timeNs(2_999)).isEqualTo(8 * SECOND_NS);
    }

    @Test
    void unlimitedRateDeliversABurstAllAtOnce() {
        OneWay w = new OneWay(1, LinkSpec.builder().delayMillis(5).build(), 10_000, 1400, 0);
        w.runToEnd();
        assertThat(w.receiver.count()).isEqualTo(10_000);
        assertThat(w.receiver.timeNs(9_999)).isEqualTo(5_000_000L);
        assertThat(w.link.stats().queueDelayPercentileNs(1.0)).isZero();
    }
}
