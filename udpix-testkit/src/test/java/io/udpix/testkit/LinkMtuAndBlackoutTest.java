package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkMtuAndBlackoutTest {
    private static final long MS = 1_000_000L;

    @Test
    void aDatagramLargerThanMtuMinus28IsDroppedAndOneThatFitsPasses() {
        LinkSpec spec = LinkSpec.builder().mtuBytes(1500).build();
        OneWay fits = new OneWay(41, spec, 10, 1472, MS);
        OneWay tooBig = new OneWay(41, spec, 10, 1473, MS);
        fits.runToEnd();
        tooBig.runToEnd();

        assertThat(fits.receiver.count()).isEqualTo(10);
        assertThat(tooBig.receiver.count()).isZero();
        assertThat(tooBig.link.stats().droppedMtu()).isEqualTo(10);
        assertThat(tooBig.link.stats().droppedDatagrams()).isEqualTo(10);
    }

    @Test
    void withoutAnMtuTheLargestUdpPayloadPasses() {
        OneWay w = new OneWay(42, LinkSpec.perfect(), 3, LinkSpec.MAX_UDP_PAYLOAD_BYTES, MS);
        w.runToEnd();
        assertThat(w.receiver.count()).isEqualTo(3);
        assertThat(w.receiver.corrupted()).isZero();
    }

    @Test
    void datagramsEnteringDuringABlackoutAreDroppedAndTheLinkHealsAfterwards() {
        LinkSpec spec = LinkSpec.builder().delayMillis(50).blackout(1_000 * MS, 2_000 * MS).build();
        OneWay w = new OneWay(43, spec, 300, 100, 10 * MS); // seq k leaves at k * 10 ms
        w.runToEnd();

        assertThat(w.link.stats().droppedBlackout()).isEqualTo(100);
        assertThat(w.receiver.count()).isEqualTo(200);
        for (int i = 0; i < w.receiver.count(); i++) {
            assertThat(w.receiver.seq(i) < 100 || w.receiver.seq(i) > 199).as("seq %d", w.receiver.seq(i)).isTrue();
        }
        // Datagrams already on the wire when the blackout starts still arrive (it acts on entry).
        assertThat(w.receiver.seq(99)).isEqualTo(99);
    }

    @Test
    void aPermanentCutDropsEverythingFromItsStart() {
        LinkSpec spec = LinkSpec.builder().cutFromNs(500 * MS).build();
        OneWay w = new OneWay(44, spec, 1_000, 100, MS);
        w.runToEnd();
        assertThat(w.receiver.count()).isEqualTo(500);
        assertThat(w.link.stats().droppedBlackout()).isEqualTo(500);
        assertThat(spec.hasPermanentCut()).isTrue();
    }
}
