package io.udpix.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRingTest {

    private static boolean put(TraceRing ring, long n, boolean essential) {
        return ring.record(Tracer.PACKET_SENT, 7, n, essential, n, n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7);
    }

    private static List<Long> drainTimes(TraceRing ring, int max) {
        List<Long> times = new ArrayList<>();
        ring.drain((s, off) -> {
            assertThat(s[off]).isEqualTo(Tracer.PACKET_SENT);
            assertThat(s[off + 1]).isEqualTo(7);
            assertThat(s[off + 10]).isEqualTo(s[off + 2] + 7);
            times.add(s[off + 2]);
        }, max);
        return times;
    }

    @Test
    void keepsRecordsInOrderAcrossManyWrapsOfTheRing() {
        TraceRing ring = new TraceRing(TraceRing.MIN_RECORDS);
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 50; i++) {
                assertThat(put(ring, next++, false)).isTrue();
            }
            // Partial drains (37 then the rest) so reads and writes meet at every offset of the ring.
            for (int part : new int[] {37, 13}) {
                for (long t : drainTimes(ring, part)) {
                    assertThat(t).isEqualTo(expected++);
                }
            }
        }
        for (long t : drainTimes(ring, Integer.MAX_VALUE)) {
            assertThat(t).isEqualTo(expected++);
        }
        assertThat(expected).isEqualTo(next);
        assertThat(ring.dropped()).isZero();
    }

    @Test
    void aFullRingDropsAndCountsOrdinaryRecordsButKeepsItsReserveForEssentialOnes() {
        TraceRing ring = new TraceRing(TraceRing.MIN_RECORDS);
        int ordinary = TraceRing.MIN_RECORDS - TraceRing.RESERVE_RECORDS;
        for (int i = 0; i < ordinary; i++) {
            assertThat(put(ring, i, false)).isTrue();
        }
        assertThat(put(ring, 999, false)).isFalse();
        assertThat(put(ring, 1000, false)).isFalse();
        assertThat(ring.dropped()).isEqualTo(2);
        for (int i = 0; i < TraceRing.RESERVE_RECORDS; i++) {
            assertThat(put(ring, ordinary + i, true)).isTrue();
        }
        assertThat(put(ring, 2000, true)).isFalse();
        assertThat(ring.dropped()).isEqualTo(3);
        assertThat(drainTimes(ring, Integer.MAX_VALUE)).hasSize(TraceRing.MIN_RECORDS);
        assertThat(put(ring, 3000, false)).as("room again once drained").isTrue();
    }

    @Test
    void aConsumerThreadSeesEveryRecordTheProducerKeptInOrder() throws InterruptedException {
        TraceRing ring = new TraceRing(1024);
        int total = 2_000_000;
        long[] kept = {0};
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                if (put(ring, i, false)) {
                    kept[0]++;
                }
            }
        });
        producer.start();
        List<Long> seen = new ArrayList<>();
        while (producer.isAlive() || seen.isEmpty() || drainTimes(ring, 0).size() > 0) {
            seen.addAll(drainTimes(ring, 256));
        }
        producer.join();
        seen.addAll(drainTimes(ring, Integer.MAX_VALUE));
        assertThat(seen).hasSize((int) kept[0]);
        assertThat(seen.size() + ring.dropped()).isEqualTo(total);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).isGreaterThan(seen.get(i - 1));
        }
    }

    @Test
    void refusesACapacityOutsideItsBoundsNamingThem() {
        assertThatThrownBy(() -> new TraceRing(TraceRing.MIN_RECORDS - 1)).hasMessageContaining("128..");
        assertThat(new TraceRing(1000).capacity()).isEqualTo(1024);
    }
}
