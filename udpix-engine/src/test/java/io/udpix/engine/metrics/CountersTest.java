package io.udpix.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CountersTest {
    private static final CounterSchema PAIR = new CounterSchema("pair", List.of("id"), List.of(
            Metric.counter("udpix_test_first_total", "written first"),
            Metric.counter("udpix_test_second_total", "written second")));
    private static final CounterSchema ONE = new CounterSchema("one", List.of("id"), List.of(
            Metric.gauge("udpix_test_owner", "the id of the group, set right after allocation")));

    @Test
    void aSnapshotShowsWhatTheWriterAddedUnderTheGroupsLabels() {
        Counters counters = new Counters(100);
        CounterGroup a = counters.allocate(PAIR, "a");
        CounterGroup b = counters.allocate(PAIR, "b");
        a.add(0, 5);
        a.increment(1);
        b.add(1, 7);
        CountersSnapshot snap = counters.snapshot();
        assertEquals(2, snap.groups("pair").size());
        CountersSnapshot.Group first = snap.groups().get(0);
        assertEquals("a", first.label("id"));
        assertEquals(5, first.value("udpix_test_first_total"));
        assertEquals(1, first.value("udpix_test_second_total"));
        assertEquals(7, snap.groups().get(1).value(1));
    }

    @Test
    void aFreedGroupLeavesSnapshotsAndKeepsItsLastValuesForTheWriter() {
        Counters counters = new Counters(100);
        CounterGroup a = counters.allocate(PAIR, "a");
        a.add(0, 3);
        a.free();
        assertFalse(a.registered());
        assertEquals(3, a.read(0));
        assertTrue(counters.snapshot().groups().isEmpty());
        CounterGroup b = counters.allocate(PAIR, "b");
        assertEquals(0, b.read(0), "a reused slot starts at zero");
        assertEquals(List.of("b"), counters.snapshot().groups().get(0).labelValues());
    }

    @Test
    void a_millionShortLivedGroupsReuseTheSameSlotsSoTheRegistryStaysBounded() {
        Counters counters = new Counters(10 * PAIR.size());
        for (int i = 0; i < 1_000_000; i++) {
            CounterGroup g = counters.allocate(PAIR, "g");
            assertTrue(g.registered(), "allocation " + i + " found no room: freed slots were not reused");
            g.increment(0);
            g.free();
        }
        assertEquals(0, counters.allocationFailures());
        assertTrue(counters.snapshot().groups().isEmpty());
    }

    @Test
    void aFullRegistryStillCountsInADetachedGroupAndSaysHowManyFoundNoRoom() {
        Counters counters = new Counters(2 * PAIR.size());
        counters.allocate(PAIR, "1");
        counters.allocate(PAIR, "2");
        CounterGroup third = counters.allocate(PAIR, "3");
        assertFalse(third.registered());
        third.add(0, 9);
        assertEquals(9, third.read(0));
        CountersSnapshot snap = counters.snapshot();
        assertEquals(2, snap.groups().size());
        assertEquals(1, snap.allocationFailures());
    }

    @Test
    void groupsSpanningPagesAreAllSeen() {
        Counters counters = new Counters(10 * Counters.PAGE_SLOTS);
        CounterSchema big = new CounterSchema("big", List.of(), java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> Metric.counter("udpix_test_x" + i + "_total", "x")).toList());
        for (int i = 0; i < 20; i++) {
            counters.allocate(big).add(299, i);
        }
        List<CountersSnapshot.Group> groups = counters.snapshot().groups();
        assertEquals(20, groups.size());
        assertEquals(19, groups.get(19).value(299));
    }

    @Test
    void groupsThatLeaveTheEndOfEachPageUnusedStillFillTheWholeCapacity() {
        CounterSchema big = new CounterSchema("big", List.of(), java.util.stream.IntStream.range(0, 600)
                .mapToObj(i -> Metric.counter("udpix_test_y" + i + "_total", "y")).toList());
        Counters counters = new Counters(10 * 600);
        for (int i = 0; i < 10; i++) {
            assertTrue(counters.allocate(big).registered(), "group " + i + " found no room");
        }
        assertFalse(counters.allocate(big).registered(), "beyond the capacity");
    }

    @Test
    void refusesNamesThatBreakPrometheusConventions() {
        assertThrows(IllegalArgumentException.class, () -> Metric.counter("udpix_packets", "no _total"));
        assertThrows(IllegalArgumentException.class, () -> Metric.gauge("Packets", "no prefix"));
        assertThrows(IllegalArgumentException.class, () -> Metric.gaugeNanosAsSeconds("udpix_rtt_ns", "unit"));
        assertThrows(IllegalArgumentException.class, () -> new Counters(10).allocate(PAIR));
    }

    /**
     * One writer thread increments two counters in order and churns groups (freed and reallocated under new
     * labels) while another thread snapshots: every snapshot sees the second counter at most one behind the first,
     * counters never go back, and a churned group's value is only ever its own label or zero, never another's.
     */
    @Test
    void snapshotsWhileTheWriterRunsAreConsistentAndNeverMixGroups() throws Exception {
        Counters counters = new Counters(64);
        CounterGroup pair = counters.allocate(PAIR, "steady");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            CounterGroup[] churn = new CounterGroup[8];
            long n = 0;
            while (!stop.get()) {
                pair.increment(0);
                pair.increment(1);
                int k = (int) (n % churn.length);
                if (churn[k] != null) {
                    churn[k].free();
                }
                churn[k] = counters.allocate(ONE, Long.toString(n + 1));
                churn[k].set(0, n + 1);
                n++;
            }
        }, "counters-writer");
        writer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        writer.start();
        long lastFirst = 0;
        int snapshots = 0;
        long deadline = System.nanoTime() + 1_000_000_000L;
        try {
            while (System.nanoTime() < deadline || snapshots < 1000) {
                CountersSnapshot snap = counters.snapshot();
                snapshots++;
                for (CountersSnapshot.Group g : snap.groups()) {
                    if (g.schema() == PAIR) {
                        long first = g.value(0);
                        long second = g.value(1);
                        assertTrue(second >= first - 1, "second " + second + " fell behind first " + first);
                        assertTrue(first >= lastFirst, "counter went back: " + lastFirst + " -> " + first);
                        lastFirst = first;
                    } else {
                        long owner = g.value(0);
                        if (owner != 0 && owner != Long.parseLong(g.label("id"))) {
                            fail("group " + g.label("id") + " showed another group's value " + owner);
                        }
                    }
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(lastFirst > 0, "the writer never ran");
    }
}
