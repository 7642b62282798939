package io.udpix.driver.epoll;

import io.udpix.driver.Driver;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.NioDriver;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: a throughput comparison. Pushes 1 GiB (or the GiB given as the first argument) of 1,400-byte and of
 * 65,507-byte datagrams from one driver to another over loopback, with NIO and with the epoll driver in each
 * receive mode, and prints MB/s, datagrams/s and the loop threads' CPU per GiB. The receiver acknowledges a count
 * every window/8 datagrams and the sender never runs more than a window ahead, sized so the 4 MiB receive buffer
 * cannot overflow: no loss, so the figures compare the drivers, not the kernel's drops.
 *
 * <p>Run: {@code mvn -f udpix-driver-epoll/pom.xml -Dudpix.target=target-x test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt} then {@code java -cp target-x/test-classes:target-x/classes:$(cat cp.txt)
 * io.udpix.driver.epoll.EpollVsNioBlast}.
 */
public final class EpollVsNioBlast {
    private static final long NO_PROGRESS_GIVE_UP_NS = TimeUnit.SECONDS.toNanos(5);

    private EpollVsNioBlast() {}

    private record Setup(String label, EpollTuning tuning) {
        boolean nio() {
            return tuning == null;
        }
    }

    public static void main(String[] args) throws Exception {
        double gib = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        long totalBytes = (long) (gib * (1L << 30));
        EpollTuning defaults = EpollTuning.defaults();
        List<Setup> setups = List.of(
                new Setup("nio", null),
                new Setup("epoll GSO + GRO (default)", defaults),
                new Setup("epoll GSO + recvmmsg", defaults.withReceiveMode(EpollTuning.ReceiveMode.RECVMMSG)),
                new Setup("epoll GSO + single recvmsg", defaults.withReceiveMode(EpollTuning.ReceiveMode.SINGLE)),
                new Setup("epoll no GSO + GRO", defaults.withGso(false)),
                new Setup("epoll no GSO + recvmmsg",
                        defaults.withGso(false).withReceiveMode(EpollTuning.ReceiveMode.RECVMMSG)));
        System.out.printf(Locale.ROOT, "%.2f GiB per run over loopback; GSO supported here: %s%n", gib,
                EpollDriver.isGsoSupported());
        for (int size : new int[] {1_400, DriverOptions.MAX_UDP_PAYLOAD_BYTES}) {
            for (Setup setup : setups) {
                run(setup, size, totalBytes);
            }
        }
    }

    private static void run(Setup setup, int size, long totalBytes) throws Exception {
        long total = totalBytes / size;
        // In flight: ~1.5 MiB of payload, well inside the receiver's 4 MiB buffer even with per-skb overhead.
        int window = (int) Math.max(16, Math.min(1_024, (3L << 19) / size));
        // recvmmsg slots are maxDatagramBytes + 1: size them to the datagrams, as a deployment would.
        DriverOptions receiverOptions = DriverOptions.defaults().withMaxDatagramBytes(Math.max(size, 1_500));
        BlastReceiver receiver = new BlastReceiver(total, Math.max(1, window / 8));
        try (Driver<?> receiving = start(setup, receiver, receiverOptions)) {
            BlastSender sender = new BlastSender(receiving.localAddress(), total, size, window);
            try (Driver<?> sending = start(setup, sender, DriverOptions.defaults())) {
                Thread[] loops = {loopThread(receiving), loopThread(sending)};
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpuBeforeNs = cpuNs(threads, loops);
                long startNs = System.nanoTime();
                sending.execute(ep -> { }); // a pass: the sender fills its window, acks keep it going
                long received = awaitAll(receiving, receiver, total);
                long elapsedNs = System.nanoTime() - startNs;
                long cpuNs = cpuNs(threads, loops) - cpuBeforeNs;
                double seconds = elapsedNs / 1e9;
                double bytes = (double) received * size;
                String extra = sending instanceof EpollDriver epoll ? " " + describe(epoll.epollStats()) : "";
                System.out.printf(Locale.ROOT, "%6d B  %-28s %8.0f MB/s %10.0f datagrams/s  CPU %5.2f s/GiB%s%s%n",
                        size, setup.label(), bytes / seconds / 1e6, received / seconds,
                        cpuNs / 1e9 / (bytes / (1L << 30)), received == total ? "" : "  INCOMPLETE " + received
                                + "/" + total + " " + receiving.stats(), extra);
            }
        }
    }

    private static String describe(EpollStats stats) {
        return stats.gsoBatches() == 0 ? "(no GSO batches)"
                : String.format(Locale.ROOT, "(%.1f datagrams per GSO send)",
                        (double) stats.gsoSegments() / stats.gsoBatches());
    }

    private static Driver<?> start(Setup setup, SansIoEndpoint endpoint, DriverOptions options) throws IOException {
        InetSocketAddress bind = Loopback.anyPort();
        if (setup.nio()) {
            return NioDriver.start(endpoint, bind, options, e -> { });
        }
        return EpollDriver.start(endpoint, bind, options, e -> { }, setup.tuning());
    }

    private static Thread loopThread(Driver<?> driver) {
        if (driver instanceof EpollDriver epoll) {
            return epoll.loopThread();
        }
        String name = "udpix-nio-" + driver.localAddress().getPort();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static long cpuNs(ThreadMXBean threads, Thread[] loops) {
        long sum = 0;
        for (Thread loop : loops) {
            sum += Math.max(0, threads.getThreadCpuTime(loop.getId()));
        }
        return sum;
    }

    /** Waits until all arrived or nothing moved for 5 s (a loss: the window cannot reopen); returns the count. */
    private static long awaitAll(Driver<?> receiving, BlastReceiver receiver, long total) throws Exception {
        long last = -1;
        long lastProgressNs = System.nanoTime();
        while (true) {
            long count = receiving.call(ep -> receiver.count).get(30, TimeUnit.SECONDS);
            if (count == total) {
                return count;
            }
            long nowNs = System.nanoTime();
            if (count != last) {
                last = count;
                lastProgressNs = nowNs;
            } else if (nowNs - lastProgressNs > NO_PROGRESS_GIVE_UP_NS) {
                return count;
            }
            Thread.sleep(5);
        }
    }

    /** Sends numbered datagrams of one size as fast as the window allows; copies a template (no per-byte work). */
    private static final class BlastSender implements SansIoEndpoint {
        private final InetSocketAddress target;
        private final long total;
        private final int size;
        private final int window;
        private final ByteBuffer template;
        private long next;
        private long acknowledged;

        BlastSender(InetSocketAddress target, long total, int size, int window) {
            this.target = target;
            this.total = total;
            this.size = size;
            this.window = window;
            this.template = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                template.put(i, (byte) (i * 31));
            }
        }

        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
            if (datagram.remaining() == Long.BYTES) {
                acknowledged = Math.max(acknowledged, datagram.getLong(datagram.position()));
            }
        }

        @Override
        public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
            if (next >= total || next - acknowledged >= window) {
                return null;
            }
            dst.clear();
            dst.put(0, template, 0, size);
            dst.putLong(0, next);
            dst.position(0).limit(size);
            next++;
            return target;
        }

        @Override
        public long nextDeadlineNs() {
            return Long.MAX_VALUE; // driven by acks
        }

        @Override
        public void handleTimeout(long nowNs) {
            // Nothing is scheduled.
        }

        @Override
        public EndpointEvent pollEvent() {
            return null;
        }
    }

    /** Counts datagrams and reports the count back every {@code ackEvery} of them and at the end. */
    private static final class BlastReceiver implements SansIoEndpoint {
        private final long total;
        private final int ackEvery;
        private InetSocketAddress sender;
        private boolean ackDue;
        volatile long count;

        BlastReceiver(long total, int ackEvery) {
            this.total = total;
            this.ackEvery = ackEvery;
        }

        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
            if (datagram.remaining() < Long.BYTES) {
                return;
            }
            sender = from;
            long c = count + 1;
            count = c;
            if (c % ackEvery == 0 || c == total) {
                ackDue = true;
            }
        }

        @Override
        public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
            if (!ackDue) {
                return null;
            }
            ackDue = false;
            dst.clear();
            dst.putLong(count).flip();
            return sender;
        }

        @Override
        public long nextDeadlineNs() {
            return ackDue ? 0 : Long.MAX_VALUE;
        }

        @Override
        public void handleTimeout(long nowNs) {
            // Acks go out from pollTransmit.
        }

        @Override
        public EndpointEvent pollEvent() {
            return null;
        }
    }
}
