package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-packet calls of streams allocate nothing (DEVELOPERS.md: no per-datagram allocation on hot paths). */
class HotPathAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void encodingParityIntoAPacketAllocatesNothing() {
        byte[] frame = new byte[100_000];
        new Random(1).nextBytes(frame);
        ByteBuffer packet = ByteBuffer.allocateDirect(1_500);
        for (int round = 0; round < 2; round++) {
            long before = allocatedBytes();
            for (int i = 0; i < 2_000; i++) {
                ParityEncoder.encode(frame, 1_400, 8, i & 7, packet, 30);
            }
            long allocated = allocatedBytes() - before;
            if (round == 1) { // round 0 warms up
                assertThat(allocated).as("bytes allocated for 2,000 parity packets").isLessThan(10_000);
            }
        }
    }

    @Test
    void takingFragmentsAndParityAllocatesNothingBeyondTheFrameItself() {
        byte[] frame = new byte[100_000];
        new Random(2).nextBytes(frame);
        ByteBuffer packet = ByteBuffer.allocateDirect(1_500);
        ByteBuffer parity = ByteBuffer.allocateDirect(1_500);
        ParityEncoder.encode(frame, 1_400, 8, 3, parity, 30);
        for (int round = 0; round < 2; round++) {
            FrameAssembly a = new FrameAssembly(frame.length, 1_400);
            a.addParity(8, 3, parity, 30, 1_400); // allocates the frame's parity store once
            long before = allocatedBytes();
            for (int i = 0; i < a.fragmentCount(); i++) {
                if (i == 11) {
                    continue; // group 3: recovered from its parity
                }
                int length = FrameLayout.fragmentLength(frame.length, 1_400, i);
                packet.put(28, frame, i * 1_400, length);
                a.addFragment(i, packet, 28, length);
                a.addFragment(i, packet, 28, length); // duplicate
            }
            long allocated = allocatedBytes() - before;
            assertThat(a.isComplete()).isTrue();
            if (round == 1) {
                assertThat(allocated).as("bytes allocated for 142 fragments").isLessThan(2_000);
            }
        }
    }

    @Test
    void recordingALatencyAllocatesNothing() {
        LatencyHistogram h = new LatencyHistogram();
        for (int round = 0; round < 2; round++) {
            long before = allocatedBytes();
            for (long i = 0; i < 100_000; i++) {
                h.record(i * 7919);
            }
            long allocated = allocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).as("bytes allocated for 100,000 records").isLessThan(1_000);
            }
        }
    }
}
