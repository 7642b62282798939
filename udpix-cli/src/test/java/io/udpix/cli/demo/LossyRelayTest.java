package io.udpix.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.cli.TestSeeds;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LossyRelayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void relaysAnEchoExchangeBackToTheRightClientWhenUnimpaired() throws Exception {
        try (Target echo = Target.echo();
             LossyRelay relay = LossyRelay.start(echo.address(), Impairment.none(), 1);
             DatagramChannel alice = client();
             DatagramChannel bob = client()) {
            for (int i = 0; i < 50; i++) {
                send(alice, relay.address(), "alice-" + i);
                send(bob, relay.address(), "bob-" + i);
                assertThat(receive(alice, relay.address())).isEqualTo("alice-" + i);
                assertThat(receive(bob, relay.address())).isEqualTo("bob-" + i);
            }
            // The relay counts a datagram just after sending it: the last reply can arrive before its count.
            awaitAtLeast(() -> relay.stats().forwarded(), 200, "unimpaired");

            RelayStats stats = relay.stats();
            assertThat(stats.received()).isEqualTo(200);
            assertThat(stats.forwarded()).isEqualTo(200);
            assertThat(stats.dropped() + stats.duplicated() + stats.reordered() + stats.sendErrors()).isZero();
        }
    }

    @Test
    void dropsAboutTheConfiguredShareOfDatagrams() throws Exception {
        long seed = TestSeeds.seed(7);
        int count = 10_000;
        try (Target sink = Target.sink();
             LossyRelay relay = LossyRelay.start(sink.address(), Impairment.of(0.2, 0, 0), seed);
             DatagramChannel client = client()) {
            // Batches, waiting for the relay to take each, so no socket buffer can overflow and blur the count.
            for (int sent = 0; sent < count; ) {
                int batchEnd = Math.min(count, sent + 500);
                for (; sent < batchEnd; sent++) {
                    send(client, relay.address(), "datagram-" + sent);
                }
                awaitAtLeast(() -> relay.stats().received(), batchEnd, "seed=" + seed);
            }
            RelayStats stats = relay.stats();
            awaitAtLeast(sink::count, stats.forwarded(), "seed=" + seed);

            // Binomial(10,000, 0.2): mean 2,000, standard deviation 40; +-5 sigma never fails by chance.
            assertThat(stats.received()).as("seed=" + seed).isEqualTo(count);
            assertThat(stats.dropped()).as("seed=" + seed).isBetween(1_800L, 2_200L);
            assertThat(stats.forwarded()).as("seed=" + seed).isEqualTo(count - stats.dropped());
            assertThat(sink.count()).as("seed=" + seed).isEqualTo(stats.forwarded());
        }
    }

    @Test
    void makesTheSameDecisionsForTheSameSeed() throws Exception {
        long seed = TestSeeds.seed(99);
        long[] drops = new long[2];
        for (int run = 0; run < 2; run++) {
            try (Target sink = Target.sink();
                 LossyRelay relay = LossyRelay.start(sink.address(), Impairment.of(0.3, 0.1, 0), seed);
                 DatagramChannel client = client()) {
                for (int i = 0; i < 300; i++) {
                    send(client, relay.address(), "d" + i);
                }
                awaitAtLeast(() -> relay.stats().received(), 300, "seed=" + seed);
                drops[run] = relay.stats().dropped() * 1_000_000 + relay.stats().duplicated();
            }
        }
        assertThat(drops[0]).as("seed=" + seed).isEqualTo(drops[1]);
    }

    @Test
    void duplicatesDatagrams() throws Exception {
        long seed = TestSeeds.seed(3);
        try (Target sink = Target.sink();
             LossyRelay relay = LossyRelay.start(sink.address(), Impairment.of(0, 0.5, 0), seed);
             DatagramChannel client = client()) {
            for (int i = 0; i < 400; i++) {
                send(client, relay.address(), "d" + i);
            }
            awaitAtLeast(() -> relay.stats().received(), 400, "seed=" + seed);
            // The relay counts a datagram as received before it sends its copy: read its figures only once every
            // copy it counted has reached the sink (a snapshot taken earlier raced the last duplicate).
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            RelayStats stats = relay.stats();
            while (sink.count() != 400 + stats.duplicated() && System.nanoTime() - deadlineNs < 0) {
                Thread.sleep(1);
                stats = relay.stats();
            }

            assertThat(stats.duplicated()).as("seed=" + seed).isBetween(100L, 300L);
            assertThat(sink.count()).as("seed=" + seed).isEqualTo(400 + stats.duplicated());
        }
    }

    @Test
    void reorderingActuallyReordersAndLosesNothing() throws Exception {
        long seed = TestSeeds.seed(11);
        int count = 200;
        // A long hold: a held datagram is released by the next one, not by the clock, whatever the machine speed.
        Impairment reorder = new Impairment(0, 0, 0.3, Duration.ofMillis(300));
        try (Target sink = Target.sink();
             LossyRelay relay = LossyRelay.start(sink.address(), reorder, seed);
             DatagramChannel client = client()) {
            for (int i = 0; i < count; i++) {
                send(client, relay.address(), Integer.toString(i));
            }
            awaitAtLeast(sink::count, count, "seed=" + seed);

            List<Integer> order = sink.payloads().stream().map(Integer::valueOf).toList();
            int inversions = 0;
            for (int i = 1; i < order.size(); i++) {
                if (order.get(i) < order.get(i - 1)) {
                    inversions++;
                }
            }
            List<Integer> sorted = new ArrayList<>(order);
            Collections.sort(sorted);
            assertThat(inversions).as("seed=" + seed + " order=" + order).isGreaterThan(10);
            assertThat(relay.stats().reordered()).as("seed=" + seed).isGreaterThan(10);
            assertThat(sorted).as("seed=" + seed).hasSize(count).doesNotHaveDuplicates();
            assertThat(sorted.get(0)).isZero();
            assertThat(sorted.get(count - 1)).isEqualTo(count - 1);
        }
    }

    @Test
    void delaysEveryDatagramEachWaySoAnEchoTakesTwiceTheDelayAndKeepsItsOrder() throws Exception {
        Duration oneWay = Duration.ofMillis(40);
        try (Target echo = Target.echo();
             LossyRelay relay = LossyRelay.start(echo.address(), Impairment.none().withDelay(oneWay), 1);
             DatagramChannel client = client()) {
            for (int i = 0; i < 5; i++) {
                long startNs = System.nanoTime();
                send(client, relay.address(), "ping-" + i);
                assertThat(receive(client, relay.address())).isEqualTo("ping-" + i);
                long roundTripMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                // At least the two delays; the upper bound only guards against a delay applied twice per way.
                assertThat(roundTripMs).as("round trip %d", i).isBetween(80L, 160L + 500L);
            }
            // A burst keeps its order through the delay line.
            for (int i = 0; i < 100; i++) {
                send(client, relay.address(), "burst-" + i);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(receive(client, relay.address())).isEqualTo("burst-" + i);
            }
            assertThat(relay.stats().delayOverflows()).isZero();
        }
    }

    @Test
    void refusesANegativeOrHugeDelay() {
        assertThatThrownBy(() -> Impairment.none().withDelay(Duration.ofMillis(-1))).hasMessageContaining("delay");
        assertThatThrownBy(() -> Impairment.none().withDelay(Duration.ofSeconds(11))).hasMessageContaining("delay");
    }

    @Test
    void refusesProbabilitiesOutsideZeroToOne() {
        assertThatThrownBy(() -> Impairment.of(1.5, 0, 0)).hasMessageContaining("lossProbability");
        assertThatThrownBy(() -> Impairment.of(0, -0.1, 0)).hasMessageContaining("duplicateProbability");
        assertThatThrownBy(() -> Impairment.of(0, 0, Double.NaN)).hasMessageContaining("reorderProbability");
    }

    private static DatagramChannel client() throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        channel.socket().setSoTimeout(10_000);
        return channel;
    }

    private static void send(DatagramChannel channel, SocketAddress to, String text) throws IOException {
        channel.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), to);
    }

    private static String receive(DatagramChannel channel, SocketAddress expectedFrom) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        SocketAddress from = channel.receive(buffer);
        assertThat(from).isEqualTo(expectedFrom);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    /** Polls every millisecond (a sleep, not a spin) until {@code value} reaches {@code expected}. */
    private static void awaitAtLeast(LongSupplier value, long expected, String context) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value.getAsLong() < expected && System.nanoTime() - deadlineNs < 0) {
            Thread.sleep(1);
        }
        assertThat(value.getAsLong()).as(context + ": waited 20 s").isGreaterThanOrEqualTo(expected);
    }

    /** A loopback UDP server thread that echoes, or just records, what it receives. */
    private static final class Target implements AutoCloseable {
        private final DatagramChannel channel;
        private final boolean echo;
        private final List<String> payloads = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        private Target(boolean echo) throws IOException {
            this.echo = echo;
            this.channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            this.thread = new Thread(this::run, "test-target");
            thread.setDaemon(true);
            thread.start();
        }

        static Target echo() throws IOException {
            return new Target(true);
        }

        static Target sink() throws IOException {
            return new Target(false);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        long count() {
            return payloads.size();
        }

        List<String> payloads() {
            synchronized (payloads) {
                return new ArrayList<>(payloads);
            }
        }

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocate(65_536);
            try {
                while (true) {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    buffer.flip();
                    if (echo) {
                        channel.send(buffer.duplicate(), from);
                    }
                    payloads.add(StandardCharsets.UTF_8.decode(buffer).toString());
                }
            } catch (IOException e) {
                // Closed by close().
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
