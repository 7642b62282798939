package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class LinkCopiesTest {
    private static final int N = 50_000;

    @Test
    void duplicationDeliversExtraCopiesOfAboutTheConfiguredFraction() {
        LinkSpec spec = LinkSpec.builder().delayMillis(2).jitterNs(1_000_000).duplicateProbability(0.1).build();
        OneWay w = new OneWay(31, spec, N, 100, 100_000);
        w.runToEnd();

        BitSet seen = new BitSet(N);
        long duplicates = 0;
        for (int i = 0; i < w.receiver.count(); i++) {
            int seq = (int) w.receiver.seq(i);
            if (seen.get(seq)) {
                duplicates++;
            }
            seen.set(seq);
        }
        LinkStats s = w.link.stats();
        assertThat(seen.cardinality()).isEqualTo(N);
        assertThat(duplicates).isEqualTo(s.duplicated()).isBetween(4_500L, 5_500L);
        assertThat(s.deliveredDatagrams()).isEqualTo(N + duplicates);
        assertThat(w.receiver.corrupted()).isZero();
    }

    @Test
    void corruptionFlipsOneToEightBitsOfOneByteInTheDeliveredCopy() {
        LinkSpec spec = LinkSpec.builder().corruptProbability(0.05).build();
        OneWay w = new OneWay(32, spec, N, 200, 10_000);
        int[] diffBytes = new int[1];
        long[] flips = new long[9];
        w.sim.onDeliver((now, from, to, datagram) -> {
            int[] mask = new int[1];
            // The first 8 bytes are the sequence number and may be the corrupted ones: compare both ways.
            long seq = Payloads.seq(datagram);
            int diffs = Payloads.differingBytes(datagram, seq, mask);
            if (diffs == 0) {
                return;
            }
            diffBytes[0] = Math.max(diffBytes[0], diffs);
            if (diffs == 1) {
                flips[Integer.bitCount(mask[0])]++;
            }
        });
        w.runToEnd();

        long corrupted = w.link.stats().corrupted();
        assertThat(corrupted).isBetween(2_200L, 2_800L);
        assertThat(w.receiver.corrupted()).isEqualTo(corrupted);
        assertThat(flips[0]).isZero();
        for (int bits = 1; bits <= 8; bits++) {
            assertThat(flips[bits]).as("copies with %d bits flipped", bits).isPositive();
        }
        // A flip in the sequence number makes the whole pattern look wrong; elsewhere exactly one byte differs.
        long oneByte = java.util.Arrays.stream(flips).sum();
        assertThat(oneByte).isGreaterThan(corrupted * 9 / 10);
    }

    @Test
    void everyCopyIsCorruptedIndependentlyWhenCorruptionIsCertain() {
        LinkSpec spec = LinkSpec.builder().corruptProbability(1.0).duplicateProbability(1.0).build();
        OneWay w = new OneWay(33, spec, 1_000, 64, 1_000);
        w.runToEnd();
        // Each copy is corrupted independently: two copies of one datagram, each with its own flip.
        assertThat(w.receiver.count()).isEqualTo(2_000);
        assertThat(w.receiver.corrupted()).isEqualTo(2_000);
        assertThat(w.link.stats().corrupted()).isEqualTo(2_000);
    }
}
