package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StallDetectorTest {
    private static final long MS = 1_000_000L;
    private static final long RTPROP_NS = 50 * MS;

    /** ACKs 1 ms apart up to {@code untilNs}, RTT at RTprop, 40 KB in flight: the usual gap is 1 ms. */
    private static StallDetector steady(long untilNs) {
        StallDetector d = new StallDetector();
        for (long t = untilNs - 20 * MS; t <= untilNs; t += MS) {
            assertThat(d.onAck(t, RTPROP_NS, 0, RTPROP_NS, t, 40_000)).isFalse();
        }
        return d;
    }

    @Test
    void aSilenceEndedByAsMuchRttInflationIsAPauseThatSpoilsTheFlightOutAtTheTime() {
        StallDetector d = steady(100 * MS);
        // 80 ms without an ACK, then one for a packet sent at 50 ms whose RTT grew by 80 ms: a pause at either end.
        assertThat(d.onAck(180 * MS, 130 * MS, 0, RTPROP_NS, 12_000, 38_000)).isTrue();
        assertThat(d.stalls()).isEqualTo(1);
        assertThat(d.suspected(12_000)).isTrue();
        assertThat(d.suspected(49_999)).as("until the flight out then is delivered").isTrue();
        assertThat(d.suspected(50_000)).isFalse();
    }

    @Test
    void aQueueInflatesRttWhileItsAcksKeepComingSoItIsNoPause() {
        StallDetector d = new StallDetector();
        long rttNs = RTPROP_NS;
        for (long t = 100 * MS; t < 300 * MS; t += MS) {
            rttNs += MS / 2; // the queue grows: RTT up to 150 ms, ACKs 1 ms apart
            assertThat(d.onAck(t, rttNs, 0, RTPROP_NS, t, 100_000)).isFalse();
        }
        assertThat(d.stalls()).isZero();
        assertThat(d.suspected(0)).isFalse();
    }

    @Test
    void aSlowLinksQueueIsNoPauseThoughItsAcksComeAsFarApartAsItsRttGrows() {
        // 1.5 Mbit/s: an ACK for two 1,500-byte packets every 16 ms, the queue growing by that much per ACK.
        StallDetector d = new StallDetector();
        long rttNs = 10 * MS;
        for (long t = 100 * MS; t < 1_000 * MS; t += 16 * MS) {
            assertThat(d.onAck(t, rttNs, 0, 10 * MS, t, 100_000)).isFalse();
            rttNs += 8 * MS;
        }
        assertThat(d.stalls()).isZero();
    }

    @Test
    void aDelayedAckIsNoPause() {
        StallDetector withDelay = steady(100 * MS);
        StallDetector withoutDelay = steady(100 * MS);
        // The last packet of a burst, acknowledged after the receiver's 25 ms ACK delay, which it reports.
        assertThat(withDelay.onAck(125 * MS, 75 * MS, 25 * MS, RTPROP_NS, 11_000, 0)).isFalse();
        assertThat(withoutDelay.onAck(125 * MS, 75 * MS, 0, RTPROP_NS, 11_000, 0)).isTrue();
    }

    @Test
    void aSilenceWithNothingInFlightOrEndedByAPacketSentDuringItIsNoPause() {
        StallDetector idle = steady(100 * MS);
        idle.onAck(101 * MS, RTPROP_NS, 0, RTPROP_NS, 10_000, 0);
        assertThat(idle.onAck(300 * MS, 150 * MS, 0, RTPROP_NS, 11_000, 0)).as("nothing was in flight").isFalse();

        StallDetector lostTail = steady(100 * MS);
        lostTail.onAck(101 * MS, RTPROP_NS, 0, RTPROP_NS, 10_000, 1_000); // the last packet out is lost
        // An idle sender's next flight, sent at 102 ms, comes back with a longer RTT after a silence.
        assertThat(lostTail.onAck(232 * MS, 130 * MS, 0, RTPROP_NS, 11_000, 0)).isFalse();
    }

    @Test
    void inflationBelowTheDelayTestsThresholdIsIgnored() {
        StallDetector d = steady(100 * MS);
        // eta at 50 ms is 6.25 ms: a 6 ms pause could never trip the delay test.
        assertThat(d.onAck(106 * MS, 56 * MS, 0, RTPROP_NS, 11_000, 39_000)).isFalse();
        StallDetector e = steady(100 * MS);
        assertThat(e.onAck(110 * MS, 60 * MS, 0, RTPROP_NS, 12_000, 38_000)).isTrue();
    }
}
