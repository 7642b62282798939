package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.testkit.LinkSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Probe timeouts (RFC 9002 section 6.2) on paths where the probes themselves are easy to lose. */
class ProbeTimeoutTest {
    /** Nothing random happens on these links; the seed only names the run. */
    private static final long SEED = 20261201L;

    @Test
    void probesCarryNewDataSoTheReceiverKeepsGettingBytesWhileEveryAckIsLost() {
        // Client to server: a bottleneck whose queue holds exactly one datagram, so a second datagram sent back to
        // back with the first is always dropped. Server to client: a 10 s outage mid-transfer loses every ACK, so
        // the client lives on probe timeouts, and the server gives up on an item with no new byte for 5 s.
        LinkSpec up = LinkSpec.builder().rateMegabitsPerSecond(50).delayMillis(1).mtuBytes(1500).queueBytes(1500)
                .build();
        LinkSpec down = LinkSpec.builder().rateMegabitsPerSecond(50).delayMillis(1).mtuBytes(1500)
                .blackout(150_000_000L, 10_150_000_000L).build();
        byte[] payload = new byte[2_000_000];
        new SplittableRandom(SEED).nextBytes(payload);
        SimTransfer t = new SimTransfer(SEED,
                EndpointConfig.builder().idleTimeoutNs(30_000_000_000L).stallTimeoutNs(5_000_000_000L),
                EndpointConfig.builder().idleTimeoutNs(30_000_000_000L), up, down);

        t.send(payload);
        t.run(120_000_000_000L);

        // Probes that repeat the oldest unacknowledged chunk (the server has it: only the ACKs were lost) bring
        // nothing new, and the second of two back-to-back probes never fits the queue: the server saw no new byte
        // for 5 s and dropped the item (STALLED), though the path towards it worked throughout.
        assertThat(t.server.stats().stalledTransfers()).as("server stalled; events=%s", t.clientEvents).isZero();
        assertThat(t.completed()).as("events=%s", t.clientEvents).isTrue();
        assertThat(t.received).containsExactly(payload);
    }

    @Test
    void aTransferThroughLongLossBurstsCompletesThoughTheSenderFallsBackOnProbeTimeouts() {
        // A third of the link's time is a bad spell losing everything, 100 steps long: 60 ms at 20 Mbit/s. The
        // sender's timeouts thin its datagrams to two a second; a spell counted in its datagrams would then last
        // 50 s, and the sender would give up (nothing acknowledged for 30 s) on a link up two thirds of the time.
        LinkSpec up = LinkSpec.builder().rateMegabitsPerSecond(20).delayMillis(5).mtuBytes(1500)
                .burstLoss(0.005, 0.01, 1.0).build();
        LinkSpec down = LinkSpec.builder().rateMegabitsPerSecond(20).delayMillis(5).mtuBytes(1500).build();
        byte[] payload = new byte[1_000_000];
        new SplittableRandom(SEED).nextBytes(payload);
        SimTransfer t = new SimTransfer(SEED, EndpointConfig.builder().idleTimeoutNs(30_000_000_000L),
                EndpointConfig.builder().idleTimeoutNs(30_000_000_000L), up, down);

        t.send(payload);
        t.run(600_000_000_000L);

        assertThat(t.completed()).as("events=%s; up=%s", t.clientEvents, t.links.aToB().stats()).isTrue();
        assertThat(t.received).containsExactly(payload);
    }
}
