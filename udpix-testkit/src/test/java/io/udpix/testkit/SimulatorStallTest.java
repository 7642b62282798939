package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Paused endpoints (a cold JVM's compile or GC pause): what waits, what fires late, what is dropped. */
class SimulatorStallTest {
    private static final long MS = 1_000_000L;

    @Test
    void datagramsReachingAPausedEndpointWaitInItsSocketAndArriveInOrderWhenThePauseEnds() {
        Simulator sim = new Simulator(1);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        sim.routeBoth(a, b, LinkSpec.builder().delayMillis(5).build(), LinkSpec.builder().delayMillis(5).build());
        RecordingReceiver receiver = new RecordingReceiver();
        sim.attach(a, new NumberingSender(b, 20, 100, MS, 0));
        sim.attach(b, receiver);
        sim.stall(b, 10 * MS, 30 * MS, 1 << 20);

        sim.runFor(100 * MS);
        assertThat(receiver.count()).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(receiver.seq(i)).isEqualTo(i);
            long sentAtNs = i * MS;
            long expectedNs = Math.max(sentAtNs + 5 * MS, sentAtNs + 5 * MS >= 10 * MS
                    && sentAtNs + 5 * MS < 40 * MS ? 40 * MS : 0);
            assertThat(receiver.timeNs(i)).as("datagram %d", i).isEqualTo(expectedNs);
        }
        assertThat(sim.stats().stalls()).isEqualTo(1);
        assertThat(sim.stats().stallDropped()).isZero();
    }

    @Test
    void aPausedSenderSendsNothingAndItsTimerFiresWhenThePauseEnds() {
        Simulator sim = new Simulator(2);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        sim.routeBoth(a, b, LinkSpec.builder().delayMillis(1).build(), LinkSpec.builder().delayMillis(1).build());
        NumberingSender sender = new NumberingSender(b, 10, 100, 10 * MS, 0).recordSendTimes();
        sim.attach(a, sender);
        sim.attach(b, new RecordingReceiver());
        sim.stall(a, 15 * MS, 50 * MS, 1 << 20);

        sim.runFor(200 * MS);
        assertThat(sender.sent()).isEqualTo(10);
        assertThat(sender.sendTimeNs(1)).isEqualTo(10 * MS);
        // Due at 20, 30, ... 60 ms, all late: the paused sender's deadline fires at 65 ms and it catches up at once.
        for (int i = 2; i <= 6; i++) {
            assertThat(sender.sendTimeNs(i)).as("datagram %d", i).isEqualTo(65 * MS);
        }
        assertThat(sender.sendTimeNs(7)).isEqualTo(70 * MS);
    }

    @Test
    void aFullSocketBufferDropsWhatArrivesDuringThePause() {
        Simulator sim = new Simulator(3);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        sim.routeBoth(a, b, LinkSpec.builder().delayMillis(1).build(), LinkSpec.builder().delayMillis(1).build());
        RecordingReceiver receiver = new RecordingReceiver();
        sim.attach(a, new NumberingSender(b, 10, 100, 0, 0));
        sim.attach(b, receiver);
        sim.stall(b, 0, 10 * MS, 350); // room for three 100-byte datagrams

        sim.runFor(50 * MS);
        assertThat(receiver.count()).isEqualTo(3);
        assertThat(sim.stats().stallDropped()).isEqualTo(7);
    }

    @Test
    void randomPausesReplayExactlyForOneSeedAndStayInsideTheirWindow() {
        EndpointStalls stalls = EndpointStalls.within(500 * MS, 5, 10 * MS, 20 * MS);
        long[] first = receiveTimes(42, stalls);
        assertThat(receiveTimes(42, stalls)).containsExactly(first);
        assertThat(receiveTimes(43, stalls)).isNotEqualTo(first);
        long[] none = receiveTimes(42, null);
        long lateNs = 0;
        for (int i = 0; i < first.length; i++) {
            assertThat(first[i]).isGreaterThanOrEqualTo(none[i]);
            lateNs = Math.max(lateNs, first[i] - none[i]);
            if (none[i] >= 600 * MS) {
                // No pause starts after the window (500 ms); overlapping ones merge, 5 x 20 ms at most.
                assertThat(first[i]).isEqualTo(none[i]);
            }
        }
        assertThat(lateNs).isPositive().isLessThanOrEqualTo(100 * MS);
    }

    private static long[] receiveTimes(long seed, EndpointStalls stalls) {
        Simulator sim = new Simulator(seed);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        sim.routeBoth(a, b, LinkSpec.builder().delayMillis(1).build(), LinkSpec.builder().delayMillis(1).build());
        RecordingReceiver receiver = new RecordingReceiver();
        sim.attach(a, new NumberingSender(b, 1000, 100, MS, 0));
        sim.attach(b, receiver);
        if (stalls != null) {
            sim.stallRandomly(b, stalls);
        }
        sim.runFor(2_000 * MS);
        long[] times = new long[receiver.count()];
        for (int i = 0; i < times.length; i++) {
            times[i] = receiver.timeNs(i);
        }
        return times;
    }
}
