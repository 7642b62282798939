package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Seeds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded whatever the size: a 4 GiB transfer through the simulator, run by the build in its own JVM
 * with a 64 MiB heap (the {@code heap64} surefire execution in this module's pom). Source and sink stream; the
 * receiver's engine verifies the SHA-256 of all 4 GiB.
 */
@Tag("heap64")
class LargeTransferTest {
    static final long SIZE_BYTES = 4L << 30;

    @Test
    void transfersFourGibibytesInASixtyFourMebibyteHeap() {
        long maxHeapBytes = Runtime.getRuntime().maxMemory();
        long seed = Seeds.seedOrRandom();
        LinkSpec path = LinkSpec.builder().rateBitsPerSecond(10_000_000_000L).delayNs(1_000_000L).mtuBytes(65_535)
                .queueBytes(8L << 20).lossProbability(0.001).build();
        EfficiencyTest.Sim s = new EfficiencyTest.Sim(seed, path, path);
        long conn = s.start(SIZE_BYTES);
        RunResult r = s.sim.runUntil(s::done, 3_600_000_000_000L);
        String context = Seeds.describe(seed) + " run=" + r + " stats=" + s.client.connectionStats(conn)
                + " maxHeap=" + maxHeapBytes;
        System.out.printf("4 GiB in the simulator with max heap %d MiB: %s, %s%n", maxHeapBytes >> 20, r,
                Seeds.describe(seed));
        assertThat(s.done()).as(context).isTrue();
        assertThat(s.client.connectionStats(conn).chunkBytesAcked()).as(context).isGreaterThanOrEqualTo(SIZE_BYTES);
    }
}
