package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkLossTest {
    private static final int N = 100_000;

    /** Lengths of runs of consecutive lost sequence numbers, from the receiver's view. */
    private static double meanLossRunLength(RecordingReceiver r, long sent) {
        long runs = 0;
        long lost = 0;
        long expected = 0;
        for (int i = 0; i <= r.count(); i++) {
            long seq = i < r.count() ? r.seq(i) : sent;
            if (seq > expected) {
                runs++;
                lost += seq - expected;
            }
            expected = seq + 1;
        }
        return runs == 0 ? 0 : (double) lost / runs;
    }

    /** The longest run of consecutive lost sequence numbers. */
    private static long longestLossRun(RecordingReceiver r, long sent) {
        long longest = 0;
        long expected = 0;
        for (int i = 0; i <= r.count(); i++) {
            long seq = i < r.count() ? r.seq(i) : sent;
            longest = Math.max(longest, seq - expected);
            expected = seq + 1;
        }
        return longest;
    }

    @Test
    void iidLossDropsAboutTheConfiguredFraction() {
        OneWay w = new OneWay(21, LinkSpec.builder().lossProbability(0.1).build(), N, 64, 1_000);
        w.runToEnd();

        LinkStats s = w.link.stats();
        assertThat(s.droppedLoss()).isBetween(9_400L, 10_600L); // 10% of 100k, +-6 sigma
        assertThat(s.offeredDatagrams()).isEqualTo(N);
        assertThat(s.deliveredDatagrams()).isEqualTo(N - s.droppedLoss()).isEqualTo(w.receiver.count());
        assertThat(s.droppedDatagrams()).isEqualTo(s.droppedLoss());
        assertThat(meanLossRunLength(w.receiver, N)).isLessThan(1.3); // iid: runs of length 1/(1-p) ~ 1.11
    }

    @Test
    void gilbertElliottLosesInBurstsWithTheExpectedAverage() {
        // Bad 1% -> 4.76% of the time, leaves with 20%: mean burst 5 datagrams when everything in bad is lost.
        LinkSpec spec = LinkSpec.builder().burstLoss(0.01, 0.2, 1.0).build();
        assertThat(spec.expectedLossFraction()).isCloseTo(0.0476, org.assertj.core.data.Offset.offset(0.001));
        OneWay w = new OneWay(22, spec, N, 64, 1_000);
        w.runToEnd();

        LinkStats s = w.link.stats();
        assertThat(s.droppedBurst()).isBetween(3_500L, 6_000L);
        assertThat(s.droppedLoss()).isZero();
        assertThat(meanLossRunLength(w.receiver, N)).isBetween(4.0, 6.0);
    }

    @Test
    void burstLossIsBurstierThanIidLossOfTheSameAverage() {
        OneWay bursty = new OneWay(23, LinkSpec.builder().burstLoss(0.02, 0.1, 0.9).build(), N, 64, 1_000);
        double average = bursty.link.spec().expectedLossFraction();
        OneWay iid = new OneWay(23, LinkSpec.builder().lossProbability(average).build(), N, 64, 1_000);
        bursty.runToEnd();
        iid.runToEnd();

        double burstyLoss = 1 - bursty.receiver.count() / (double) N;
        double iidLoss = 1 - iid.receiver.count() / (double) N;
        assertThat(burstyLoss).isBetween(average * 0.7, average * 1.3);
        assertThat(iidLoss).isBetween(average * 0.9, average * 1.1);
        assertThat(meanLossRunLength(bursty.receiver, N)).isGreaterThan(3 * meanLossRunLength(iid.receiver, N));
    }

    @Test
    void fullSizeDatagramsBackToBackOnARateLimitedLinkSeeBurstsOfTheConfiguredLength() {
        // 10 Mbit/s: a 1,472-byte datagram (1,500 on the wire) every 1.2 ms is one chain step each, as without a rate.
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).burstLoss(0.01, 0.2, 1.0).build();
        int n = 20_000;
        OneWay w = new OneWay(24, spec, n, 1472, 1_200_000);
        w.runToEnd();

        assertThat(w.link.stats().droppedBurst()).isBetween(600L, 1_400L); // 4.76% of 20k
        assertThat(meanLossRunLength(w.receiver, n)).isBetween(4.0, 6.0);
    }

    @Test
    void aBadSpellIsLinkTimeSoASenderThatFallsSilentDoesNotStretchItIntoACut() {
        // Per datagram this chain stays bad for 100 datagrams on average: at one datagram a second (a sender living
        // on probe timeouts) that would be 100 s of total loss. In link time a spell lasts 100 x 1.2 ms, so datagrams
        // a second apart each see the bad state with its long-run share (50%) independently.
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).burstLoss(0.01, 0.01, 1.0).build();
        int n = 600;
        OneWay w = new OneWay(25, spec, n, 1472, 1_000_000_000L);
        w.runToEnd();

        assertThat(w.link.stats().droppedBurst()).isBetween(200L, 400L);
        assertThat(longestLossRun(w.receiver, n)).isLessThan(20); // 50% iid: P(a run of 20 in 600) < 0.1%
    }
}
