package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The test bottleneck itself must be right, or the scenario results mean nothing. */
class BottleneckLinkTest {
    private static final long MS = 1_000_000L;

    @Test
    void serialisesPacketsAtTheLinkRateThenAddsThePropagationDelay() {
        BottleneckLink link = new BottleneckLink(12_500_000, 50 * MS, 1_000_000, 0, 1);
        for (int i = 0; i < 5; i++) {
            // 1250 bytes at 12.5 MB/s take 100 us each.
            assertThat(link.transmit(0, 1250)).isEqualTo((i + 1) * 100_000L + 50 * MS);
        }
        assertThat(link.transmit(10 * MS, 1250)).as("an idle link starts at once").isEqualTo(10 * MS + 100_000 + 50 * MS);
        assertThat(link.bdpBytes()).isEqualTo(625_000);
    }

    @Test
    void dropsWhatDoesNotFitInTheQueue() {
        BottleneckLink link = new BottleneckLink(12_500_000, 50 * MS, 5000, 0, 1);
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (link.transmit(0, 1250) >= 0) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(4);
        assertThat(link.tailDrops()).isEqualTo(6);
        // After one packet time one more fits.
        assertThat(link.transmit(100_000, 1250)).isPositive();
        assertThat(link.transmit(100_000, 1250)).isEqualTo(-1);
    }

    @Test
    void losesTheConfiguredFractionAtRandomAfterUsingTheLink() {
        long seed = TestSeeds.seed();
        BottleneckLink link = new BottleneckLink(12_500_000, 50 * MS, Long.MAX_VALUE / 2, 0.02, seed);
        int lost = 0;
        for (int i = 0; i < 100_000; i++) {
            if (link.transmit(i * 100_000L, 1250) < 0) {
                lost++;
            }
        }
        assertThat(lost / 100_000.0).as("seed=%d", seed).isCloseTo(0.02, within(0.003));
        assertThat(link.randomDrops()).isEqualTo(lost);
        assertThat(link.transmittedBytes()).as("lost packets used the link too").isEqualTo(100_000L * 1250);
    }

    @Test
    void aRouteChangeAppliesToPacketsSentAfterIt() {
        BottleneckLink link = new BottleneckLink(12_500_000, 50 * MS, 1_000_000, 0, 1);
        link.setPropagationRttNs(60 * MS);
        assertThat(link.transmit(0, 1250)).isEqualTo(100_000 + 60 * MS);
        assertThat(link.propagationRttNs()).isEqualTo(60 * MS);
    }
}
