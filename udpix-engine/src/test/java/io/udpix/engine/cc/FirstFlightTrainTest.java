package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The first flight's packet-train rate, on hand-made ACK arrivals (1200-byte packets, one ACK per two). */
class FirstFlightTrainTest {
    private static final long US = 1_000L;
    private static final int PACKET_BYTES = 1200;

    /** ACKs of two packets each, {@code gapNs} apart from {@code startNs}; returns the time of the last. */
    private static long acks(FirstFlightTrain train, int count, long startNs, long gapNs, long[] delivered) {
        long t = startNs;
        for (int i = 0; i < count; i++) {
            t = startNs + i * gapNs;
            delivered[0] += 2 * PACKET_BYTES;
            train.onAck(t, true, delivered[0], false);
        }
        return t;
    }

    @Test
    void theAckSpacingOfTheFirstFlightGivesTheBottleneckRate() {
        FirstFlightTrain train = new FirstFlightTrain();
        // 100 Mbit/s: 1200 bytes every 96 us, so an ACK of two every 192 us.
        acks(train, 16, 100_000 * US, 192 * US, new long[1]);
        assertThat((double) train.rateBytesPerSecond(PACKET_BYTES)).isCloseTo(12_500_000, within(1.0));
        assertThat(train.over()).isFalse();
    }

    @Test
    void aDelayedLastAckEndsTheTrainWithoutCounting() {
        FirstFlightTrain train = new FirstFlightTrain();
        long[] delivered = new long[1];
        long last = acks(train, 16, 100_000 * US, 192 * US, delivered);
        // The odd last packet, acknowledged after the receiver's 25 ms ACK delay.
        delivered[0] += PACKET_BYTES;
        train.onAck(last + 25_000 * US, true, delivered[0], true);
        assertThat(train.over()).isTrue();
        assertThat((double) train.rateBytesPerSecond(PACKET_BYTES)).isCloseTo(12_500_000, within(1.0));
    }

    @Test
    void anAckForTheNextFlightEndsTheTrain() {
        FirstFlightTrain train = new FirstFlightTrain();
        long[] delivered = new long[1];
        long last = acks(train, 16, 100_000 * US, 192 * US, delivered);
        train.onAck(last + 192 * US, false, delivered[0] + 2 * PACKET_BYTES, false);
        assertThat(train.over()).isTrue();
        acks(train, 16, last + 400 * US, 10 * US, delivered);
        assertThat((double) train.rateBytesPerSecond(PACKET_BYTES)).isCloseTo(12_500_000, within(1.0));
    }

    @Test
    void aTrainOfFewerThanEightPacketsSaysNothing() {
        FirstFlightTrain train = new FirstFlightTrain();
        // Four ACKs: the three after the first cover six packets.
        acks(train, 4, 100_000 * US, 192 * US, new long[1]);
        assertThat(train.rateBytesPerSecond(PACKET_BYTES)).isZero();
        assertThat(new FirstFlightTrain().rateBytesPerSecond(PACKET_BYTES)).isZero();
    }

    @Test
    void aTrainWhoseRttStoodAboveThePathsMinimumIsNotTrusted() {
        FirstFlightTrain busyReceiver = new FirstFlightTrain();
        // A receiver busy for 40 ms answered the flight at once: the first ACK's RTT was 1.4 x the handshake's.
        busyReceiver.onAck(140_000 * US, true, 2 * PACKET_BYTES, true);
        long[] delivered = {2 * PACKET_BYTES};
        acks(busyReceiver, 16, 140_010 * US, 1 * US, delivered);
        assertThat(busyReceiver.over()).isTrue();
        assertThat(busyReceiver.rateBytesPerSecond(PACKET_BYTES)).isZero();

        FirstFlightTrain lateInflation = new FirstFlightTrain();
        delivered[0] = 0;
        long last = acks(lateInflation, 16, 100_000 * US, 192 * US, delivered);
        lateInflation.onAck(last + 192 * US, true, delivered[0] + 2 * PACKET_BYTES, true);
        assertThat(lateInflation.rateBytesPerSecond(PACKET_BYTES)).isZero();
    }

    @Test
    void acksThatArriveTogetherDoNotMakeATrain() {
        FirstFlightTrain train = new FirstFlightTrain();
        // Seed 5000031582's first flight: two ACKs spaced, then four at one instant (jitter held them), then a gap.
        long[] delivered = {2 * PACKET_BYTES};
        train.onAck(100_000 * US, true, delivered[0], false);
        delivered[0] += 2 * PACKET_BYTES;
        train.onAck(100_180 * US, true, delivered[0], false);
        acks(train, 4, 101_650 * US, 0, delivered);
        assertThat(train.rateBytesPerSecond(PACKET_BYTES)).isZero();
        train.onAck(110_500 * US, true, delivered[0] + 2 * PACKET_BYTES, false);
        assertThat(train.over()).isTrue();
        assertThat(train.rateBytesPerSecond(PACKET_BYTES)).isZero();
    }
}
