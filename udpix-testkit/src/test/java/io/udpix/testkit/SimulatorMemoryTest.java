package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimulatorMemoryTest {
    private static final int PAYLOAD = 1472;

    @Test
    void aLongTransferKeepsOnlyTheQueueAndThePropagationInFlight() {
        // 100 Mbit/s, 50 ms, 1 MB queue, offered 150 Mbit/s for 10 virtual seconds: ~85,000 datagrams delivered.
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(50).queueBytes(1_000_000).build();
        long interval = NumberingSender.intervalForRate(PAYLOAD, 150_000_000);
        OneWay w = new OneWay(71, spec, 10_000_000_000L / interval, PAYLOAD, interval);
        w.runToEnd();

        assertThat(w.receiver.count()).isGreaterThan(80_000);
        long bdpBytes = 100_000_000L / 8 * 50 / 1000;
        assertThat(w.sim.peakInFlightBytes()).isLessThanOrEqualTo(1_000_000 + bdpBytes + 2 * PAYLOAD);
        assertThat(w.sim.inFlightDatagrams()).isZero();
    }

    @Test
    void floodingALinkWithNoLimitFailsWithTheCauseAndTheFix() {
        OneWay w = new OneWay(72, LinkSpec.builder().rateMegabitsPerSecond(1).build(), 100_000, PAYLOAD, 0);
        w.sim.setMaxInFlightBytes(1 << 20);
        assertThatThrownBy(w::runToEnd).isInstanceOf(SimulationException.class)
                .hasMessageContaining("in flight").hasMessageContaining("queueBytes");
    }
}
