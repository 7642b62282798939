package io.udpix.testkit;

import java.net.InetSocketAddress;

/**
 * Not a test (surefire skips it): measures deliveries per wall-clock second, and with {@code -Xmx64m} shows a
 * 4 GiB transfer through 100 Mbit/s, 50 ms fits in a small heap. Run from the module's test classpath:
 * {@code java -Xmx64m -cp target/classes:target/test-classes:<engine jar> io.udpix.testkit.SimulatorBenchmark
 * [gibibytes]}.
 */
public final class SimulatorBenchmark {
    private SimulatorBenchmark() {
    }

    public static void main(String[] args) {
        long gib = args.length > 0 ? Long.parseLong(args[0]) : 4;
        int payload = 1472;
        for (int round = 0; round < 2; round++) {
            bench("perfect link, 1472 B", LinkSpec.perfect(), 2_000_000, payload, 1_000);
            bench("100 Mbit/s 50 ms, 1% loss, jitter", LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(50)
                    .jitterNs(1_000_000).lossProbability(0.01).queueBytes(1_000_000).build(), 2_000_000, payload,
                    NumberingSender.intervalForRate(payload, 100_000_000));
        }
        long count = (gib << 30) / payload;
        bench(gib + " GiB through 100 Mbit/s 50 ms", LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(50)
                .queueBytes(1_000_000).build(), count, payload, NumberingSender.intervalForRate(payload, 100_000_000));
    }

    private static void bench(String name, LinkSpec spec, long count, int payload, long intervalNs) {
        Simulator sim = new Simulator(1);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        sim.route(a, b, sim.link(spec));
        sim.attach(a, new Blaster(b, count, payload, intervalNs));
        CountingReceiver receiver = new CountingReceiver();
        sim.attach(b, receiver);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long startNs = System.nanoTime();
        long startCpuNs = threads.getCurrentThreadCpuTime();
        RunResult r = sim.runUntil(() -> false, Long.MAX_VALUE);
        double seconds = (System.nanoTime() - startNs) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - startCpuNs) / 1e9;
        System.out.printf("%-36s %,d delivered (%,d B) in %.2f s wall, %.2f s CPU = %,.0f deliveries per CPU second;"
                + " %s; peak in flight %,d B; heap used %,d MiB%n", name, receiver.count, receiver.bytes, seconds,
                cpuSeconds, receiver.count / cpuSeconds, r,
                sim.peakInFlightBytes(), (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    /** Sends numbered datagrams at a fixed interval, writing only the number: the simulator's cost dominates. */
    private static final class Blaster extends MisbehavingEndpoints.Silent {
        private final InetSocketAddress to;
        private final long count;
        private final int sizeBytes;
        private final long intervalNs;
        private long sent;
        private long nextNs;

        Blaster(InetSocketAddress to, long count, int sizeBytes, long intervalNs) {
            this.to = to;
            this.count = count;
            this.sizeBytes = sizeBytes;
            this.intervalNs = intervalNs;
        }

        @Override
        public InetSocketAddress pollTransmit(java.nio.ByteBuffer dst, long nowNs) {
            if (sent == count || nowNs < nextNs) {
                return null;
            }
            dst.clear();
            dst.putLong(0, sent++);
            dst.limit(sizeBytes);
            nextNs += intervalNs;
            return to;
        }

        @Override
        public long nextDeadlineNs() {
            return sent == count ? Long.MAX_VALUE : nextNs;
        }
    }

    /** Counts without recording: the benchmark's receiver must not grow. */
    private static final class CountingReceiver extends MisbehavingEndpoints.Silent {
        long count;
        long bytes;

        @Override
        public void handleDatagram(InetSocketAddress from, java.nio.ByteBuffer datagram, long nowNs) {
            count++;
            bytes += datagram.remaining();
        }
    }
}
