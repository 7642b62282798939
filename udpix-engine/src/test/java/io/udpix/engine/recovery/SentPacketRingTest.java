package io.udpix.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sent-packet ring holds memory for what is in flight: small when new, grown under load, small again idle. */
class SentPacketRingTest {
    @Test
    void aNewRingHoldsOnlySixteenSlots() {
        assertThat(new SentPacketRing(1 << 16).capacity()).isEqualTo(SentPacketRing.INITIAL_PACKETS);
    }

    @Test
    void theRingGrowsUnderLoadAndShrinksWhenIdle() {
        SentPacketRing ring = new SentPacketRing(1 << 16);
        List<SentPacket> sent = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            sent.add(ring.add());
        }
        assertThat(ring.capacity()).isEqualTo(8192);
        assertThat(ring.get(1234).packetNumber).isEqualTo(1234);
        assertThat(ring.shrinkIfIdle()).as("5,000 packets outstanding: not idle").isFalse();
        for (int i = 0; i < 4998; i++) {
            ring.markDone(sent.get(i));
        }
        // Two packets (say ACK-only ones nobody acknowledges) are still outstanding: they survive the shrink.
        assertThat(ring.shrinkIfIdle()).isTrue();
        assertThat(ring.capacity()).isEqualTo(SentPacketRing.INITIAL_PACKETS);
        assertThat(ring.get(4998).packetNumber).isEqualTo(4998);
        assertThat(ring.get(4999).packetNumber).isEqualTo(4999);
        assertThat(ring.basePacketNumber()).isEqualTo(4998);
        SentPacket next = ring.add();
        assertThat(next.packetNumber).isEqualTo(5000);
        assertThat(ring.get(5000)).isSameAs(next);
    }

    @Test
    void theRingNeverGrowsBeyondItsLimit() {
        SentPacketRing ring = new SentPacketRing(64);
        int added = 0;
        while (ring.hasRoom()) {
            ring.add();
            added++;
        }
        assertThat(added).isEqualTo(64);
        assertThat(ring.capacity()).isEqualTo(64);
    }

    @Test
    void aReusedSlotForgetsWhichStreamFragmentParityAndControlValueItsLastPacketCarried() {
        SentPacketRing ring = new SentPacketRing(16);
        SentPacket first = ring.add();
        first.streamId = 3;
        first.streamFrameNumber = 41;
        first.streamFragment = 7;
        first.streamParityGroup = 2;
        first.controlTransferIds[0] = 3;
        first.controlFrames[0] = 128;
        first.controlValues[0] = 40;
        first.controlCount = 1;
        ring.markDone(first);
        SentPacket reused = null;
        for (int i = 0; i < 64 && reused != first; i++) {
            reused = ring.add();
            if (reused != first) {
                ring.markDone(reused);
            }
        }
        assertThat(reused).as("the ring reuses its pooled entries").isSameAs(first);
        assertThat(reused.streamId).isEqualTo(-1);
        assertThat(reused.streamFrameNumber).isZero();
        assertThat(reused.streamFragment).isEqualTo(-1);
        assertThat(reused.streamParityGroup).isEqualTo(-1);
        assertThat(reused.controlCount).isZero();
    }
}
