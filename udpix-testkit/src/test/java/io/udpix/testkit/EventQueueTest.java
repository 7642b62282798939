package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    private record Ref(long timeNs, long seq, int kind, int index) implements Comparable<Ref> {
        @Override
        public int compareTo(Ref o) {
            int c = Long.compare(timeNs, o.timeNs);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    @Test
    void popsInTimeThenInsertionOrderWhileDeadlinesMoveAndVanish() {
        long seed = Seeds.seedOrRandom();
        SimRandom r = new SimRandom(seed);
        EventQueue q = new EventQueue();
        PriorityQueue<Ref> model = new PriorityQueue<>();
        Ref[] deadlines = new Ref[8];
        long seq = 0;
        long nowNs = 0;
        for (int step = 0; step < 60_000; step++) {
            int op = r.nextInt(10);
            if (op < 4) {
                long t = nowNs + r.nextInt(50);
                q.push(t, EventQueue.ARRIVAL, step);
                model.add(new Ref(t, seq++, EventQueue.ARRIVAL, step));
            } else if (op < 6) {
                int slot = r.nextInt(deadlines.length);
                long t = nowNs + r.nextInt(50);
                Ref old = deadlines[slot];
                if (old != null && old.timeNs() == t) {
                    continue; // unchanged deadlines keep their place
                }
                if (old != null) {
                    model.remove(old);
                }
                q.setDeadline(slot, t);
                deadlines[slot] = new Ref(t, seq++, EventQueue.DEADLINE, slot);
                model.add(deadlines[slot]);
            } else if (op < 7) {
                int slot = r.nextInt(deadlines.length);
                q.clearDeadline(slot);
                if (deadlines[slot] != null) {
                    model.remove(deadlines[slot]);
                    deadlines[slot] = null;
                }
            } else if (!model.isEmpty()) {
                Ref expected = model.poll();
                assertThat(q.peekTimeNs()).as(Seeds.describe(seed)).isEqualTo(expected.timeNs());
                int ref = q.pop();
                assertThat(EventQueue.kind(ref)).as(Seeds.describe(seed)).isEqualTo(expected.kind());
                assertThat(EventQueue.index(ref)).as(Seeds.describe(seed)).isEqualTo(expected.index());
                if (expected.kind() == EventQueue.DEADLINE) {
                    deadlines[expected.index()] = null;
                }
                nowNs = expected.timeNs();
            }
            if (q.size() != model.size()) {
                throw new AssertionError("size " + q.size() + " != " + model.size() + "; " + Seeds.describe(seed));
            }
        }
    }
}
