package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000L;

    @Test
    void sendsABurstOfTwoDatagramsAtOnceThenSpacesPacketsAtTheRate() {
        Pacer pacer = new Pacer();
        long rate = 1_000_000; // 1000-byte packets: one per millisecond
        long now = 5 * MS;
        for (int i = 0; i < 2; i++) {
            assertThat(pacer.nextSendTimeNs(now, 1000, rate, 1000)).isEqualTo(now);
            pacer.onPacketSent(now, 1000, rate, 1000);
        }
        long previous = now;
        for (int i = 0; i < 5; i++) {
            long at = pacer.nextSendTimeNs(now, 1000, rate, 1000);
            assertThat(at - previous).as("packet %d", i).isEqualTo(1 * MS);
            now = at;
            assertThat(pacer.nextSendTimeNs(now, 1000, rate, 1000)).isEqualTo(now);
            pacer.onPacketSent(now, 1000, rate, 1000);
            previous = now;
        }
    }

    @Test
    void theReturnedTimeIsExactlyWhenThePacketFits() {
        Pacer pacer = new Pacer();
        long rate = 2_000_000; // bucket: two datagrams (2400 bytes), more than 1 ms (2000 bytes)
        pacer.onPacketSent(0, 1200, rate, 1200);
        pacer.onPacketSent(0, 1200, rate, 1200);
        long at = pacer.nextSendTimeNs(0, 1200, rate, 1200);
        // 1200 bytes at 2 MB/s = 600 us.
        assertThat(at).isEqualTo(600_000);
        assertThat(pacer.nextSendTimeNs(at - 1, 1200, rate, 1200)).isEqualTo(at);
        assertThat(pacer.nextSendTimeNs(at, 1200, rate, 1200)).isEqualTo(at);
    }

    @Test
    void atHighRatesTheBurstIsOneMillisecondOfData() {
        Pacer pacer = new Pacer();
        long rate = 1_000_000_000; // 1 GB/s: 1 ms = 1,000,000 bytes = 15 datagrams of 65,507 bytes
        int sentAtOnce = 0;
        while (pacer.nextSendTimeNs(0, 65_507, rate, 65_507) == 0 && sentAtOnce < 100) {
            pacer.onPacketSent(0, 65_507, rate, 65_507);
            sentAtOnce++;
        }
        assertThat(sentAtOnce).isEqualTo(15);
    }

    @Test
    void fullSizeDatagramsNeverBlockEvenAtALowRate() {
        Pacer pacer = new Pacer();
        long rate = 10_000;
        // The bucket always holds two maximum datagrams, so a 64 KB datagram is never larger than the bucket.
        assertThat(pacer.nextSendTimeNs(0, 65_507, rate, 65_507)).isZero();
        pacer.onPacketSent(0, 65_507, rate, 65_507);
        pacer.onPacketSent(0, 65_507, rate, 65_507);
        long at = pacer.nextSendTimeNs(0, 65_507, rate, 65_507);
        assertThat(at).isEqualTo(6_550_700_000L);
        assertThat(pacer.nextSendTimeNs(at, 65_507, rate, 65_507)).isEqualTo(at);
    }

    @Test
    void idleTimeBuildsAtMostOneBurst() {
        Pacer pacer = new Pacer();
        long rate = 1_000_000;
        pacer.onPacketSent(0, 1000, rate, 1000);
        long later = 10_000 * MS;
        int sentAtOnce = 0;
        while (pacer.nextSendTimeNs(later, 1000, rate, 1000) == later && sentAtOnce < 100) {
            pacer.onPacketSent(later, 1000, rate, 1000);
            sentAtOnce++;
        }
        assertThat(sentAtOnce).isEqualTo(2);
    }

    @Test
    void aVeryLongIdlePeriodAtAHighRateDoesNotOverflow() {
        Pacer pacer = new Pacer();
        long rate = 10_000_000_000L;
        pacer.onPacketSent(0, 65_507, rate, 65_507);
        long later = Long.MAX_VALUE / 4;
        assertThat(pacer.nextSendTimeNs(later, 65_507, rate, 65_507)).isEqualTo(later);
        assertThat(pacer.availableBytes()).isEqualTo(10_000_000); // 1 ms at 10 GB/s
    }

    @Test
    void debtFromIgnoringThePacerIsBoundedToOneBucket() {
        Pacer pacer = new Pacer();
        long rate = 1_000_000;
        for (int i = 0; i < 1000; i++) {
            pacer.onPacketSent(0, 1000, rate, 1000);
        }
        // At most one bucket (2000 bytes) of debt: 2000 + 1000 bytes to earn back = 3 ms.
        assertThat(pacer.nextSendTimeNs(0, 1000, rate, 1000)).isEqualTo(3 * MS);
    }

    @Test
    void aRateIncreaseShortensTheWait() {
        Pacer pacer = new Pacer();
        pacer.onPacketSent(0, 1000, 1_000_000, 1000);
        pacer.onPacketSent(0, 1000, 1_000_000, 1000);
        assertThat(pacer.nextSendTimeNs(0, 1000, 1_000_000, 1000)).isEqualTo(1 * MS);
        assertThat(pacer.nextSendTimeNs(0, 1000, 10_000_000, 1000)).isEqualTo(MS / 10);
    }
}
