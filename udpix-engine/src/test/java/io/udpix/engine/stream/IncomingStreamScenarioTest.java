package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.wire.FragmentFrame;
import io.udpix.wire.ParityFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random scenarios for one incoming stream: frames of random sizes and fragment sizes, with and without
 * column parity, packets lost, duplicated, delayed and reordered, ABANDONs, tight memory, the sender's close. The
 * receiver's promises (docs/PROTOCOL.md section 5.8.5) must hold in every one: frames delivered byte for byte, in
 * strictly increasing order, none after its deadline, every frame accounted exactly once, memory within its bound
 * and all of it given back; and without loss or reordering across frames, every frame is delivered.
 */
class IncomingStreamScenarioTest {
    static final long MS = 1_000_000L;
    static final long MIN_ONE_WAY_NS = 10 * MS;
    static final int SCENARIOS = 400;

    /** One packet on its way: a fragment (index >= 0), a parity (group, index -1) or an ABANDON (frame only). */
    record Arrival(long atNs, long seq, int kind, int frame, int index, int group) {}

    static final int FRAGMENT = 0;
    static final int PARITY = 1;
    static final int ABANDON = 2;

    @Test
    void everyScenarioKeepsTheReceiversPromises() {
        long seed = TestSeeds.seed();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < SCENARIOS; i++) {
            long scenarioSeed = seeds.nextLong();
            run(scenarioSeed, "run " + TestSeeds.replay(seed) + " scenario " + i + " seed " + scenarioSeed);
        }
    }

    static void run(long scenarioSeed, String context) {
        SplittableRandom r = new SplittableRandom(scenarioSeed);
        boolean clean = r.nextInt(4) == 0; // no loss, no reordering across frames: everything must arrive
        int frameCount = 5 + r.nextInt(80);
        long budgetNs = (40 + r.nextInt(300)) * MS;
        long intervalNs = (5 + r.nextInt(40)) * MS;
        double loss = clean ? 0 : r.nextDouble() * 0.3;
        double duplicate = clean ? 0 : r.nextDouble() * 0.1;
        long jitterNs = clean ? Math.min(intervalNs / 2, 5 * MS) : r.nextInt(100) * MS;
        long senderAheadUs = r.nextLong(1L << 40); // any clock
        boolean tightMemory = !clean && r.nextInt(5) == 0;
        IncomingStreamTest.CountingMemory memory = new IncomingStreamTest.CountingMemory(
                tightMemory ? 2_000 + r.nextInt(40_000) : Long.MAX_VALUE);
        long maxFrameBytes = clean ? Long.MAX_VALUE >>> 33 : 500 + r.nextInt(20_000);
        IncomingStream s = new IncomingStream(3, new StreamParams(StreamCodec.RAW, budgetNs, 0, 0, 0, "", FecMode.OFF),
                maxFrameBytes, memory);

        byte[][] frames = new byte[frameCount][];
        int[] fragmentSizes = new int[frameCount];
        int[] strides = new int[frameCount];
        long[] captureNs = new long[frameCount];
        List<Arrival> arrivals = new ArrayList<>();
        long seq = 0;
        for (int n = 0; n < frameCount; n++) {
            frames[n] = new byte[1 + r.nextInt(r.nextBoolean() ? 3_000 : 15_000)];
            r.nextBytes(frames[n]);
            fragmentSizes[n] = 50 + r.nextInt(1_400);
            int count = FragmentFrame.fragmentCount(frames[n].length, fragmentSizes[n]);
            strides[n] = r.nextInt(3) == 0 ? 1 + r.nextInt(count) : 0;
            captureNs[n] = 1_000 * MS + n * intervalNs;
            List<int[]> packets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                packets.add(new int[] {FRAGMENT, i, 0});
            }
            for (int g = 0; g < strides[n]; g++) {
                packets.add(new int[] {PARITY, -1, g});
            }
            for (int[] p : packets) {
                if (r.nextDouble() < loss) {
                    continue;
                }
                int copies = r.nextDouble() < duplicate ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    long at = captureNs[n] + MIN_ONE_WAY_NS + (jitterNs == 0 ? 0 : r.nextLong(jitterNs + 1));
                    arrivals.add(new Arrival(at, seq++, p[0], n, p[1], p[2]));
                }
            }
            if (!clean && r.nextInt(6) == 0) {
                long at = captureNs[n] + budgetNs / 2 + r.nextLong(budgetNs);
                arrivals.add(new Arrival(at, seq++, ABANDON, n, 0, 0));
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::atNs).thenComparingLong(Arrival::seq));

        List<long[]> delivered = new ArrayList<>(); // frame number, latency
        IncomingStream.Delivery sink = (stream, n, data, capture, latency, fec) -> {
            assertThat(data).as("%s: frame %s byte for byte", context, n).isEqualTo(frames[(int) n]);
            assertThat(latency).as("%s: frame %s delivered after its deadline", context, n).isBetween(0L, budgetNs);
            delivered.add(new long[] {n, latency});
        };
        ByteBuffer buf = ByteBuffer.allocate(70_000);
        FragmentFrame fragment = new FragmentFrame();
        ParityFrame parity = new ParityFrame();
        long now = 0;
        for (Arrival a : arrivals) {
            now = runTimers(s, now, a.atNs(), sink);
            now = a.atNs();
            int n = a.frame();
            long senderUs = captureNs[n] / 1000 + senderAheadUs;
            switch (a.kind()) {
                case FRAGMENT -> {
                    buf.clear();
                    int data = FragmentFrame.writeHeader(buf, 0, 3, n, 0, senderUs, frames[n].length,
                            fragmentSizes[n], a.index());
                    buf.put(data, frames[n], a.index() * fragmentSizes[n],
                            FragmentFrame.fragmentDataLength(frames[n].length, fragmentSizes[n], a.index()));
                    s.onFragment(fragment.wrap(buf, 0), buf, now, 2 * MIN_ONE_WAY_NS);
                }
                case PARITY -> {
                    buf.clear();
                    int data = ParityFrame.writeHeader(buf, 0, 3, n, 0, senderUs, frames[n].length, fragmentSizes[n],
                            strides[n], a.group());
                    buf.put(data, columnParity(frames[n], fragmentSizes[n], strides[n], a.group()));
                    s.onParity(parity.wrap(buf, 0), buf, now, 2 * MIN_ONE_WAY_NS);
                }
                default -> s.onAbandon(n);
            }
            s.advance(now, sink);
            assertThat(s.framesInReassembly()).as(context).isLessThanOrEqualTo(IncomingStream.MAX_ASSEMBLIES);
            assertThat(memory.usedBytes).as(context).isLessThanOrEqualTo(memory.capacityBytes);
        }
        s.onSenderClose(frameCount, now);
        for (int guard = 0; guard < 1_000 && !s.ended(); guard++) {
            long wake = Math.max(now, s.wakeNs());
            assertThat(wake).as("%s: a stream waiting for nothing", context).isLessThan(Long.MAX_VALUE);
            now = wake;
            s.advance(now, sink);
        }

        assertThat(s.ended()).as(context).isTrue();
        for (int i = 1; i < delivered.size(); i++) {
            assertThat(delivered.get(i)[0]).as("%s: in order", context).isGreaterThan(delivered.get(i - 1)[0]);
        }
        StreamStats stats = s.stats(1);
        assertThat(stats.onTime()).as(context).isEqualTo(delivered.size());
        assertThat(stats.onTime() + stats.late() + stats.lost()).as("%s: every frame once: %s", context, stats)
                .isEqualTo(frameCount);
        assertThat(memory.usedBytes).as("%s: memory given back", context).isZero();
        if (clean) {
            assertThat(delivered).as("%s: nothing lost, nothing late: %s", context, stats).hasSize(frameCount);
        }
    }

    /** Runs the stream's timers due between {@code fromNs} and {@code toNs}, as the connection's timer would. */
    static long runTimers(IncomingStream s, long fromNs, long toNs, IncomingStream.Delivery sink) {
        long now = fromNs;
        for (int guard = 0; guard < 1_000 && s.wakeNs() <= toNs; guard++) {
            now = Math.max(now, s.wakeNs());
            s.advance(now, sink);
        }
        return now;
    }

    static byte[] columnParity(byte[] frame, int fragmentSize, int stride, int group) {
        byte[] p = new byte[fragmentSize];
        int count = FragmentFrame.fragmentCount(frame.length, fragmentSize);
        for (int i = group; i < count; i += stride) {
            int length = FragmentFrame.fragmentDataLength(frame.length, fragmentSize, i);
            for (int k = 0; k < length; k++) {
                p[k] ^= frame[i * fragmentSize + k];
            }
        }
        return p;
    }

    @Test
    void columnParityHelperMatchesTheWireDefinition() {
        byte[] frame = {1, 2, 3, 4, 5};
        assertThat(columnParity(frame, 2, 2, 0)).isEqualTo(new byte[] {1 ^ 5, 2});
        assertThat(Arrays.equals(columnParity(frame, 2, 2, 1), new byte[] {3, 4})).isTrue();
    }
}
