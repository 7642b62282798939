package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NewRenoTest {
    private static final long MS = 1_000_000L;

    @Test
    void theInitialWindowFollowsRfc9002() {
        assertThat(new NewReno(1200, 0).congestionWindowBytes()).isEqualTo(12_000);
        assertThat(new NewReno(1500, 0).congestionWindowBytes()).isEqualTo(14_720);
        assertThat(new NewReno(9000, 0).congestionWindowBytes()).isEqualTo(18_000);
        assertThat(new NewReno(1200, 0).name()).isEqualTo("newreno");
    }

    @Test
    void slowStartGrowsTheWindowByEveryAcknowledgedByte() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        flights.flight(10, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).isEqualTo(24_000);
        flights.flight(20, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).isEqualTo(48_000);
    }

    @Test
    void losingSeveralPacketsOfOneFlightHalvesTheWindowOnce() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        flights.flight(10, 100 * MS, 0); // cwnd 24,000
        // Packets 2, 5 and 8 are lost; their losses are reported by later ACKs of the same flight. Packets 0, 1
        // and 3 were acked first (27,600), then the window halves once, and nothing after grows it.
        flights.flight(20, 100 * MS, 1 * MS, i -> i == 2 || i == 5 || i == 8);
        assertThat(reno.slowStartThresholdBytes()).isEqualTo(13_800);
        assertThat(reno.congestionWindowBytes()).isEqualTo(13_800);
    }

    @Test
    void packetsSentBeforeRecoveryBeganDoNotGrowTheWindow() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        flights.flight(10, 100 * MS, 0); // cwnd 24,000
        flights.flight(10, 100 * MS, 1 * MS, i -> i == 0);
        // The loss was reported with the second ACK (25,200 halved); the other 8 ACKs are for packets sent
        // before recovery began.
        assertThat(reno.congestionWindowBytes()).isEqualTo(12_600);
    }

    @Test
    void congestionAvoidanceAddsOneDatagramPerWindowAcknowledged() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        flights.flight(10, 100 * MS, 0);
        flights.flight(10, 100 * MS, 1 * MS, i -> i == 9); // 34,800 halved: cwnd = ssthresh = 17,400
        assertThat(reno.congestionWindowBytes()).isEqualTo(17_400);
        flights.idle(1 * MS);
        flights.flight(10, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).as("12,000 of 17,400 acked: not yet a window").isEqualTo(17_400);
        flights.flight(5, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).isEqualTo(18_600);
    }

    @Test
    void aLossDuringRecoveryOfAPacketSentAfterItBeganHalvesAgain() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        flights.flight(10, 100 * MS, 0);
        flights.flight(10, 100 * MS, 1 * MS, i -> i == 9); // 17,400
        flights.idle(1 * MS);
        flights.flight(10, 100 * MS, 1 * MS, i -> i == 9); // no growth in 10,800 bytes, then halved
        assertThat(reno.congestionWindowBytes()).isEqualTo(8_700);
    }

    @Test
    void theWindowNeverFallsBelowTwoDatagrams() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        for (int i = 0; i < 10; i++) {
            flights.flight(4, 100 * MS, 1 * MS, j -> j == 3);
            flights.idle(1 * MS);
        }
        assertThat(reno.congestionWindowBytes()).isEqualTo(2400);
    }

    @Test
    void persistentCongestionCollapsesToTheMinimumWindow() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        flights.flight(30, 100 * MS, 0);
        reno.onPersistentCongestion(flights.nowNs);
        assertThat(reno.congestionWindowBytes()).isEqualTo(2400);
        // Recovery ended with it: the next ACKs grow the window again (slow start below ssthresh).
        flights.flight(2, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).isEqualTo(4800);
    }

    @Test
    void anApplicationLimitedSenderDoesNotGrowItsWindow() {
        NewReno reno = new NewReno(1200, 0);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        reno.onAppLimited(0);
        flights.flight(3, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).isEqualTo(12_000);
        // Filling the window ends the app-limited period.
        flights.flight(10, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).isEqualTo(24_000);
    }

    @Test
    void pacesAtOneAndAQuarterWindowsPerSmoothedRtt() {
        NewReno reno = new NewReno(1200, 0);
        assertThat(reno.pacingRateBytesPerSecond()).as("before any RTT sample: 1 ms nominal")
                .isEqualTo(15_000_000L);
        ManualFlights flights = new ManualFlights(reno, 1200, 0);
        flights.flight(1, 100 * MS, 0);
        // cwnd 13,200 bytes per 100 ms x 1.25 = 165,000 B/s.
        assertThat(reno.pacingRateBytesPerSecond()).isEqualTo(165_000);
    }

    @Test
    void theInitialWindowFollowsTheDatagramSizeUntilSomethingIsAcknowledged() {
        NewReno reno = new NewReno(1200, 0);
        reno.onMaxDatagramSizeChanged(1500);
        assertThat(reno.congestionWindowBytes()).isEqualTo(14_720);
        ManualFlights flights = new ManualFlights(reno, 1500, 0);
        flights.flight(1, 100 * MS, 0);
        assertThat(reno.congestionWindowBytes()).isEqualTo(16_220);
        // From now on only the minimum window (2 x 9000) moves it.
        reno.onMaxDatagramSizeChanged(9000);
        assertThat(reno.congestionWindowBytes()).isEqualTo(18_000);
        reno.onMaxDatagramSizeChanged(1200);
        assertThat(reno.congestionWindowBytes()).isEqualTo(18_000);
    }
}
