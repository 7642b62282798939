package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.recovery.SentPacket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryRateSamplerTest {
    private static final long MS = 1_000_000L;

    private DeliveryRateSampler sampler;
    private long bytesInFlight;

    @BeforeEach
    void setUp() {
        sampler = new DeliveryRateSampler();
        bytesInFlight = 0;
    }

    private SentPacket send(long pn, long atNs, int sizeBytes) {
        SentPacket packet = new SentPacket();
        packet.clear();
        packet.packetNumber = pn;
        packet.timeSentNs = atNs;
        packet.sizeBytes = sizeBytes;
        packet.inFlight = true;
        sampler.onPacketSent(packet, bytesInFlight);
        bytesInFlight += sizeBytes;
        return packet;
    }

    private void ack(SentPacket packet, long atNs) {
        sampler.onPacketAcked(packet, atNs);
        bytesInFlight -= packet.sizeBytes;
    }

    @Test
    void firstAckOfAFlightMeasuresDeliveredBytesOverTheRoundTrip() {
        SentPacket p0 = send(0, 0, 1000);
        SentPacket p1 = send(1, 1 * MS, 1000);
        assertThat(p1.delivered).isZero();
        assertThat(p1.deliveredTimeNs).isZero();
        assertThat(p1.firstSentTimeNs).isZero();

        ack(p0, 100 * MS);
        assertThat(sampler.generateRateSample(100 * MS)).isTrue();
        // 1000 bytes over max(send 0 ms, ack 100 ms) = 10,000 B/s.
        assertThat(sampler.sampleIntervalNs()).isEqualTo(100 * MS);
        assertThat(sampler.sampleDeliveredBytes()).isEqualTo(1000);
        assertThat(sampler.sampleRateBytesPerSecond()).isEqualTo(10_000);

        ack(p1, 101 * MS);
        assertThat(sampler.generateRateSample(100 * MS)).isTrue();
        // 2000 bytes over max(send 1 ms, ack 101 ms): 2000 / 0.101 s = 19,801.98 B/s.
        assertThat(sampler.sampleIntervalNs()).isEqualTo(101 * MS);
        assertThat(sampler.sampleRateBytesPerSecond()).isEqualTo(19_801);
        assertThat(sampler.deliveredBytes()).isEqualTo(2000);
    }

    @Test
    void packetsSentLaterCarryTheDeliveryStateOfTheirSendTime() {
        SentPacket p0 = send(0, 0, 1000);
        SentPacket p1 = send(1, 1 * MS, 1000);
        send(2, 2 * MS, 1000);
        ack(p0, 100 * MS);
        sampler.generateRateSample(100 * MS);
        SentPacket p3 = send(3, 100 * MS, 1000);
        assertThat(p3.delivered).isEqualTo(1000);
        assertThat(p3.deliveredTimeNs).isEqualTo(100 * MS);
        assertThat(p3.firstSentTimeNs).as("send time of the newest packet acked").isZero();

        ack(p1, 101 * MS);
        sampler.generateRateSample(100 * MS);
        SentPacket p4 = send(4, 101 * MS, 1000);
        assertThat(p4.firstSentTimeNs).isEqualTo(1 * MS);

        ack(p3, 200 * MS);
        assertThat(sampler.generateRateSample(100 * MS)).isTrue();
        // Delivered since p3 left: p1 and p3 = 2000 bytes; send interval 100 - 0 ms, ack interval 200 - 100 ms.
        assertThat(sampler.sampleDeliveredBytes()).isEqualTo(2000);
        assertThat(sampler.sampleIntervalNs()).isEqualTo(100 * MS);
        assertThat(sampler.sampleRateBytesPerSecond()).isEqualTo(20_000);
    }

    @Test
    void theSendIntervalCountsWhenItIsLongerThanTheAckInterval() {
        SentPacket p0 = send(0, 0, 1000);
        ack(p0, 10 * MS);
        sampler.generateRateSample(1 * MS);
        // Packets trickle out for 50 ms, then come back in a compressed burst.
        SentPacket p1 = send(1, 10 * MS, 1000);
        SentPacket p2 = send(2, 60 * MS, 1000);
        ack(p1, 61 * MS);
        sampler.generateRateSample(1 * MS);
        ack(p2, 62 * MS);
        assertThat(sampler.generateRateSample(1 * MS)).isTrue();
        // p2: first sent 10 ms (p1's send), so send interval 50 ms; ack interval 62 - 10 = 52 ms wins.
        assertThat(sampler.sampleIntervalNs()).isEqualTo(52 * MS);
        assertThat(sampler.sampleDeliveredBytes()).isEqualTo(2000);
    }

    @Test
    void theNewestPacketOfAnAckDefinesTheSample() {
        SentPacket p0 = send(0, 0, 1000);
        ack(p0, 100 * MS);
        sampler.generateRateSample(100 * MS);
        SentPacket p1 = send(1, 100 * MS, 1000);
        SentPacket p2 = send(2, 100 * MS, 1000);
        ack(p1, 200 * MS);
        sampler.generateRateSample(100 * MS);
        SentPacket p3 = send(3, 200 * MS, 1000);
        assertThat(p2.delivered).isEqualTo(1000);
        assertThat(p3.delivered).isEqualTo(2000);

        // One ACK frame reports p3 and then p2: p3 carries the larger delivered count, so it defines the sample.
        ack(p3, 300 * MS);
        ack(p2, 300 * MS);
        assertThat(sampler.generateRateSample(100 * MS)).isTrue();
        assertThat(sampler.samplePriorDeliveredBytes()).isEqualTo(2000);
        assertThat(sampler.sampleAckedBytes()).isEqualTo(2000);
        // 4000 delivered - 2000 prior over max(send 200 - 100 ms, ack 300 - 200 ms).
        assertThat(sampler.sampleDeliveredBytes()).isEqualTo(2000);
        assertThat(sampler.sampleIntervalNs()).isEqualTo(100 * MS);
    }

    @Test
    void anIntervalShorterThanTheMinimumRttGivesNoSample() {
        SentPacket p0 = send(0, 0, 1000);
        ack(p0, 40 * MS);
        assertThat(sampler.generateRateSample(50 * MS)).isFalse();
        assertThat(sampler.sampleValid()).isFalse();
        assertThat(sampler.sampleRateBytesPerSecond()).isZero();
        assertThat(sampler.sampleIntervalNs()).isEqualTo(-1);
        assertThat(sampler.deliveredBytes()).as("delivery is still counted").isEqualTo(1000);
    }

    @Test
    void anAppLimitedBubbleMarksPacketsUntilItIsDelivered() {
        SentPacket p0 = send(0, 0, 1000);
        SentPacket p1 = send(1, 0, 1000);
        sampler.onAppLimited(bytesInFlight);
        assertThat(sampler.isAppLimited()).isTrue();
        SentPacket p2 = send(2, 1 * MS, 1000);
        assertThat(p0.appLimited).isFalse();
        assertThat(p2.appLimited).isTrue();

        ack(p0, 100 * MS);
        sampler.generateRateSample(1 * MS);
        assertThat(sampler.sampleAppLimited()).isFalse();
        ack(p1, 101 * MS);
        sampler.generateRateSample(1 * MS);
        assertThat(sampler.isAppLimited()).as("bubble ends only after 2000 bytes delivered").isTrue();
        ack(p2, 102 * MS);
        sampler.generateRateSample(1 * MS);
        assertThat(sampler.sampleAppLimited()).isTrue();
        assertThat(sampler.isAppLimited()).isFalse();
        assertThat(send(3, 103 * MS, 1000).appLimited).isFalse();
    }

    @Test
    void lossesCountForTheAckButNotForTheRate() {
        SentPacket p0 = send(0, 0, 1000);
        SentPacket p1 = send(1, 0, 1000);
        SentPacket p2 = send(2, 0, 1000);
        ack(p1, 100 * MS);
        sampler.onPacketLost(p0);
        ack(p2, 100 * MS);
        assertThat(sampler.generateRateSample(100 * MS)).isTrue();
        assertThat(sampler.sampleLostBytes()).isEqualTo(1000);
        assertThat(sampler.sampleAckedBytes()).isEqualTo(2000);
        assertThat(sampler.sampleRateBytesPerSecond()).isEqualTo(20_000);
        assertThat(sampler.lostBytes()).isEqualTo(1000);
    }

    @Test
    void anAckThatOnlyReportsLossesGivesNoSample() {
        SentPacket p0 = send(0, 0, 1000);
        SentPacket p1 = send(1, 0, 1000);
        ack(p1, 100 * MS);
        sampler.generateRateSample(100 * MS);
        sampler.onPacketLost(p0);
        assertThat(sampler.generateRateSample(100 * MS)).isFalse();
        assertThat(sampler.sampleHasData()).isFalse();
        assertThat(sampler.sampleLostBytes()).isEqualTo(1000);
        assertThat(sampler.sampleAckedBytes()).isZero();
    }

    @Test
    void sendingIntoAnEmptyPipeRestartsTheIntervalsSoIdleTimeIsNotCounted() {
        SentPacket p0 = send(0, 0, 1000);
        ack(p0, 100 * MS);
        sampler.generateRateSample(100 * MS);
        SentPacket p1 = send(1, 2_000 * MS, 1000);
        assertThat(p1.deliveredTimeNs).isEqualTo(2_000 * MS);
        assertThat(p1.firstSentTimeNs).isEqualTo(2_000 * MS);
        ack(p1, 2_100 * MS);
        assertThat(sampler.generateRateSample(100 * MS)).isTrue();
        assertThat(sampler.sampleIntervalNs()).isEqualTo(100 * MS);
        assertThat(sampler.sampleRateBytesPerSecond()).isEqualTo(10_000);
    }
}
