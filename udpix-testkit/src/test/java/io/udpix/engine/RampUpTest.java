package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.connection.ConnectionStats;
import io.udpix.testkit.Seeds;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Ramp-up on lossy long links in virtual time (issue 13): over bench/linkemu's path (100 Mbit/s, iid loss at the
 * link's entry both ways, a one-BDP drop-tail queue, 1,500-byte MTU) the sender must reach the link's rate within a
 * few round trips, random loss being no sign of congestion.
 */
class RampUpTest {
    static final long RATE_BITS_PER_SECOND = 100_000_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    static long seed() {
        return Long.getLong(Seeds.PROPERTY, 20_261_202L);
    }

    @Test
    void printsTheRampUpTable() {
        long seed = seed();
        table(seed, 100 * MS, 0.05);
        table(seed, 50 * MS, 0.02);
    }

    private static void table(long seed, long rttNs, double loss) {
        RampUp small = RampUp.run(seed, RATE_BITS_PER_SECOND, rttNs, loss, 16 * RampUp.MIB, 60 * S);
        RampUp large = RampUp.run(seed, RATE_BITS_PER_SECOND, rttNs, loss, 128 * RampUp.MIB, 60 * S);
        RampUp window = large;
        System.out.printf(Locale.ROOT, "ramp-up %d ms RTT %.0f%% loss, %s:%n", rttNs / MS, loss * 100,
                Seeds.describe(seed));
        System.out.printf(Locale.ROOT, "  share since start at 0.5/1/2/5 s: %.3f %.3f %.3f %.3f%n",
                window.shareSinceStart(S / 2), window.shareSinceStart(S), window.shareSinceStart(2 * S),
                window.shareSinceStart(5 * S));
        System.out.printf(Locale.ROOT, "  share in the 0.5 s ending at 0.5/1/2/5 s: %.3f %.3f %.3f %.3f%n",
                window.shareInWindow(S / 2, S / 2), window.shareInWindow(S, S / 2),
                window.shareInWindow(2 * S, S / 2), window.shareInWindow(5 * S, S / 2));
        System.out.printf(Locale.ROOT, "  steady share 5-10 s: %.3f%n", window.shareInWindow(10 * S, 5 * S));
        System.out.printf(Locale.ROOT, "  16 MiB in %.3f s (%.3f of the link), 128 MiB in %.3f s (%.3f of the link)%n",
                small.completedAtNs / 1e9, small.shareOfLink(), large.completedAtNs / 1e9, large.shareOfLink());
        for (int i = 1; i <= 20; i++) {
            ConnectionStats.Snapshot st = window.senderAt[i];
            System.out.printf(Locale.ROOT, "  t=%.1f delivered=%d cwnd=%d pacing=%.1f Mbit/s inflight=%d "
                    + "sent=%d lost=%d srtt=%.1f ms acked=%d%n", i * 0.1, window.deliveredAt[i],
                    st.congestionWindowBytes(), st.pacingRateBytesPerSecond() * 8 / 1e6, st.bytesInFlight(),
                    st.packetsSent(), st.packetsLost(), st.rttNsSmoothed() / 1e6, st.chunkBytesAcked());
        }
        System.out.printf(Locale.ROOT, "  128 MiB: content/sent bytes %.4f, retransmitted %d, lost %d, last new byte"
                + " sent by %.1f s%n", large.finalStats.chunkBytesSent() / (double) large.finalStats.bytesSent(),
                large.finalStats.chunkBytesRetransmitted(), large.finalStats.chunkBytesLost(), large.lastNewByteSentS());
        assertThat(small.completed()).as(small.describe()).isTrue();
        assertThat(large.completed()).as(large.describe()).isTrue();
    }
}
