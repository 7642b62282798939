package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What every transport binding of the driver must do, whatever its sockets and sleeping (NIO Selector, Netty
 * epoll): bind errors, a receive and send burst, wake-up, timers, the anti-spin rule, fault handling, the loop
 * thread's ownership of commands, and close. Each transport's module extends it with its {@link #start}.
 */
public abstract class TransportContractTest {
    private static final long WAIT_S = 30;

    /** The driver kind under test, as {@link Drivers#start} names it. */
    protected abstract String kind();

    /** Starts the transport's driver for {@code endpoint} on {@code bind}. */
    protected abstract Driver<SansIoEndpoint> start(SansIoEndpoint endpoint, InetSocketAddress bind,
            DriverOptions options, Consumer<EndpointEvent> events) throws IOException;

    /**
     * Opens (binds, does not start) the bare transport on {@code bind}, its figures in {@code counters}: the
     * {@link Transport} tests below drive it through a {@link ProbeAgent}, without the driver loop.
     */
    protected abstract Transport openTransport(InetSocketAddress bind, DriverOptions options, DriverMetrics counters)
            throws IOException;

    /** Whether the transport sends a run of same-size datagrams to one peer in fewer calls than datagrams (GSO). */
    protected boolean batchesSends() {
        return false;
    }

    private Driver<SansIoEndpoint> start(SansIoEndpoint endpoint) throws IOException {
        return start(endpoint, anyPort(), DriverOptions.defaults(), event -> { });
    }

    private static InetSocketAddress anyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static Thread loopThread(Driver<?> driver) throws Exception {
        return driver.call(endpoint -> Thread.currentThread()).get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void aPortInUseIsRefusedNamingThePortAndTheFix() throws Exception {
        try (Driver<SansIoEndpoint> first = start(new EchoEndpoint())) {
            int port = first.localAddress().getPort();

            assertThatThrownBy(() -> start(new EchoEndpoint(), first.localAddress(), DriverOptions.defaults(),
                    event -> { }))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("in use")
                    .hasMessageContaining("--port");
        }
    }

    @Test
    void aBurstOfDatagramsIsReceivedAndSentBackUnchanged() throws Exception {
        // 48 same-size datagrams (a GSO batch where the transport has one), each with its own content; fewer than
        // EchoEndpoint's 64-slot ring, so none is dropped on the way.
        int count = 48;
        int lengthBytes = 1_200;
        try (Driver<SansIoEndpoint> driver = start(new EchoEndpoint());
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[lengthBytes];
                for (int b = 0; b < lengthBytes; b++) {
                    payload[b] = (byte) (i * 31 + b);
                }
                sent.add(java.util.Arrays.toString(payload));
                client.send(payload);
            }
            Set<String> received = new HashSet<>();
            for (int i = 0; i < count; i++) {
                received.add(java.util.Arrays.toString(client.receive()));
            }

            assertThat(received).isEqualTo(sent);
            DriverStats stats = driver.call(endpoint -> driver.stats()).get(WAIT_S, TimeUnit.SECONDS);
            assertThat(stats.datagramsReceived()).isEqualTo(count);
            assertThat(stats.datagramsSent()).isEqualTo(count);
            assertThat(stats.bytesSent()).isEqualTo((long) count * lengthBytes);
        }
    }

    @Test
    void aCommandWakesAnIdleLoopAtOnce() throws Exception {
        try (Driver<SansIoEndpoint> driver = start(new EchoEndpoint())) {
            loopThread(driver); // started and settled
            Thread.sleep(200); // asleep with no deadline: only the wake-up can bring it back

            long startNs = System.nanoTime();
            driver.call(endpoint -> null).get(WAIT_S, TimeUnit.SECONDS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

            // Generous for a loaded machine; a loop that only polled on a timer would need its whole period.
            assertThat(elapsedMs).as("ms from call() to its result on an idle loop").isLessThan(1_000);
        }
    }

    @Test
    void anIdleLoopSleepsAndBurnsNoCpu() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Driver<SansIoEndpoint> driver = start(new EchoEndpoint())) {
            long threadId = loopThread(driver).getId();
            long passesBefore = driver.stats().loopIterations();
            long cpuBeforeNs = threads.getThreadCpuTime(threadId);

            Thread.sleep(1_000);

            assertThat(driver.stats().loopIterations() - passesBefore).as("passes in 1 s of idleness")
                    .isLessThanOrEqualTo(2);
            assertThat(threads.getThreadCpuTime(threadId) - cpuBeforeNs).as("loop CPU ns in 1 s of idleness")
                    .isLessThan(20_000_000L);
        }
    }

    @Test
    void timersRunNoEarlierThanAskedAndWakeTheLoopAboutOncePerDeadline() throws Exception {
        long periodNs = TimeUnit.MILLISECONDS.toNanos(5);
        int ticks = 30;
        TickingEndpoint ticking = new TickingEndpoint(periodNs, ticks, System.nanoTime() + periodNs);
        // No spin threshold: a transport may poll the last stretch before a deadline when asked to (NIO's
        // spinThresholdNs); the contract is about sleeping, so that option is off here.
        DriverOptions options = DriverOptions.defaults().withSpinThresholdNs(0);
        try (Driver<SansIoEndpoint> driver = start(ticking, anyPort(), options, event -> { })) {
            assertThat(ticking.remaining().await(WAIT_S, TimeUnit.SECONDS)).as("all ticks ran").isTrue();

            assertThat(driver.call(endpoint -> ticking.earlyCalls()).get(WAIT_S, TimeUnit.SECONDS))
                    .as("handleTimeout calls before the deadline").isZero();
            assertThat(driver.stats().loopIterations()).as("passes for %d ticks", ticks)
                    .isLessThanOrEqualTo(ticks * 4L + 4);
        }
    }

    @Test
    void aDeadlineTheEndpointNeverClearsCostsAtMostAboutOnePassPerMillisecond() throws Exception {
        // The anti-spin rule (DutyCycle#mustNotSpin): an endpoint that reports a due deadline after its timers ran
        // must not make the loop spin.
        SansIoEndpoint stuck = new EchoEndpoint() {
            @Override
            public long nextDeadlineNs() {
                return 0;
            }
        };
        try (Driver<SansIoEndpoint> driver = start(stuck)) {
            loopThread(driver);
            long passesBefore = driver.stats().loopIterations();
            long startNs = System.nanoTime();

            Thread.sleep(300);

            long passes = driver.stats().loopIterations() - passesBefore;
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertThat(passes).as("passes in %d ms with a deadline always due", elapsedMs)
                    .isPositive()
                    .isLessThanOrEqualTo(2 * elapsedMs + 10);
        }
    }

    @Test
    void anEndpointExceptionIsCountedAndTheLoopGoesOn() throws Exception {
        SansIoEndpoint faulty = new EchoEndpoint() {
            @Override
            public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
                if (datagram.get(datagram.position()) == 0) {
                    throw new IllegalStateException("test: the endpoint refuses datagrams starting with 0");
                }
                super.handleDatagram(from, datagram, nowNs);
            }
        };
        try (Driver<SansIoEndpoint> driver = start(faulty);
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            client.send(new byte[] {0, 1});

            assertThat(client.roundTrip(new byte[] {7, 8})).containsExactly(7, 8);
            assertThat(driver.call(endpoint -> driver.stats()).get(WAIT_S, TimeUnit.SECONDS).endpointErrors())
                    .isEqualTo(1);
        }
    }

    @Test
    void anOutOfMemoryErrorOnTheLoopThreadEndsTheProcessWithStatus70AndAClearMessage() throws Exception {
        FailFastProcess.assertHaltsOnOutOfMemory(kind());
    }

    @Test
    void commandsRunOnTheOneLoopThreadInSubmissionOrder() throws Exception {
        try (Driver<SansIoEndpoint> driver = start(new EchoEndpoint())) {
            List<Integer> order = new ArrayList<>(); // touched only by the loop thread
            List<CompletableFuture<Thread>> threads = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                driver.execute(endpoint -> order.add(n));
                threads.add(driver.call(endpoint -> Thread.currentThread()));
            }
            Set<Thread> ran = new HashSet<>();
            for (CompletableFuture<Thread> thread : threads) {
                ran.add(thread.get(WAIT_S, TimeUnit.SECONDS));
            }

            assertThat(ran).hasSize(1).doesNotContain(Thread.currentThread());
            List<Integer> seen = driver.call(endpoint -> new ArrayList<>(order)).get(WAIT_S, TimeUnit.SECONDS);
            assertThat(seen).hasSize(100).isSorted();
        }
    }

    @Test
    void closeReleasesThePortEndsTheLoopAndRefusesLaterCommands() throws Exception {
        Driver<SansIoEndpoint> driver = start(new EchoEndpoint());
        InetSocketAddress address = driver.localAddress();
        Thread loop = loopThread(driver);

        driver.close();

        assertThat(loop.isAlive()).as("close() ended the loop thread").isFalse();
        assertThatThrownBy(() -> driver.execute(endpoint -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed");
        try (DatagramChannel successor = DatagramChannel.open(StandardProtocolFamily.INET)) {
            successor.bind(address); // throws if the driver still held the port
            assertThat(successor.getLocalAddress()).isEqualTo(address);
        }
    }

    // ---- the Transport interface itself, driven by a probe instead of the driver loop ------------------------

    private Transport openTransport(DriverOptions options, DriverMetrics counters) throws IOException {
        return openTransport(anyPort(), options, counters);
    }

    private DriverMetrics metrics() {
        return DriverMetrics.register(new EchoEndpoint(), kind());
    }

    @Test
    void aTransportRefusesAPortInUseNamingThePortAndTheFix() throws Exception {
        Transport first = openTransport(DriverOptions.defaults(), metrics());
        try {
            int port = first.localAddress().getPort();

            assertThatThrownBy(() -> openTransport(first.localAddress(), DriverOptions.defaults(), metrics()))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("in use")
                    .hasMessageContaining("--port");
        } finally {
            first.close();
        }
    }

    @Test
    void aReceiveHandsAtMostTheBatchBoundWithSendersAndDropsOversizedDatagramsCounted() throws Exception {
        int count = 48;
        int batch = 16;
        DriverOptions options = DriverOptions.defaults().withMaxDatagramBytes(1_000);
        DriverMetrics counters = metrics();
        Transport transport = openTransport(options, counters);
        ProbeAgent probe = new ProbeAgent(transport);
        try (LockstepClient client = new LockstepClient(transport.localAddress())) {
            Thread loop = probe.start();
            List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
            Set<InetSocketAddress> senders = java.util.Collections.synchronizedSet(new HashSet<>());
            Transport.ReceiveSink sink = (from, datagram) -> {
                assertThat(Thread.currentThread()).isSameAs(loop);
                senders.add(from);
                byte[] bytes = new byte[datagram.remaining()];
                datagram.get(bytes);
                received.add(java.util.Arrays.toString(bytes));
            };
            probe.pushed = sink; // a transport that hands datagrams on as it reads them (epoll)
            client.send(new byte[1_001]); // one byte over maxDatagramBytes: never handed on, cut or whole
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[1_000];
                java.util.Arrays.fill(payload, (byte) i);
                sent.add(java.util.Arrays.toString(payload));
                client.send(payload);
            }
            List<Integer> batchSizes = new ArrayList<>();
            long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (received.size() < count && System.nanoTime() < giveUpNs) {
                int handed = probe.onLoop(() -> transport.receive(sink, batch));
                batchSizes.add(handed);
                if (handed == 0) {
                    Thread.sleep(5);
                }
            }

            assertThat(received).as("datagrams handed, in order").isEqualTo(sent);
            assertThat(batchSizes).as("datagrams per receive call").allMatch(n -> n <= batch);
            assertThat(senders).containsExactly(client.localAddress());
            assertThat(probe.onLoop(() -> counters.read(DriverMetrics.RECEIVE_TRUNCATIONS))).isEqualTo(1);
        } finally {
            transport.close();
        }
    }

    @Test
    void aSendBatchArrivesWholeAndInOrderAndIsCountedOnceFlushed() throws Exception {
        int count = 48;
        int lengthBytes = 1_200;
        DriverMetrics counters = metrics();
        Transport transport = openTransport(DriverOptions.defaults(), counters);
        ProbeAgent probe = new ProbeAgent(transport);
        try (LockstepClient client = new LockstepClient(transport.localAddress())) {
            probe.start();
            List<String> sent = new ArrayList<>();
            boolean allTaken = probe.onLoop(() -> {
                boolean taken = true;
                for (int i = 0; i < count; i++) {
                    ByteBuffer buffer = transport.sendBuffer().clear();
                    byte[] payload = new byte[lengthBytes];
                    for (int b = 0; b < lengthBytes; b++) {
                        payload[b] = (byte) (i * 7 + b);
                    }
                    sent.add(java.util.Arrays.toString(payload));
                    buffer.put(payload).flip();
                    taken &= transport.send(client.localAddress());
                }
                transport.flush();
                return taken;
            });
            List<String> received = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                received.add(java.util.Arrays.toString(client.receive()));
            }

            assertThat(allTaken).as("every datagram taken (loopback has room)").isTrue();
            assertThat(received).as("datagrams received, in order").isEqualTo(sent);
            assertThat(probe.onLoop(() -> counters.read(DriverMetrics.DATAGRAMS_SENT))).isEqualTo(count);
            assertThat(probe.onLoop(() -> counters.read(DriverMetrics.BYTES_SENT)))
                    .isEqualTo((long) count * lengthBytes);
            if (batchesSends()) {
                assertThat(probe.onLoop(() -> counters.read(DriverMetrics.SEND_CALLS)))
                        .as("send calls for %d same-size datagrams (GSO)", count).isLessThan(count);
            }
        } finally {
            transport.close();
        }
    }

    @Test
    void aWakeUpEndsAnIdleAwaitAtOnceAndADeadlineIsNeverMetEarly() throws Exception {
        Transport transport = openTransport(DriverOptions.defaults().withSpinThresholdNs(0), metrics());
        ProbeAgent probe = new ProbeAgent(transport);
        try {
            probe.start();
            probe.onLoop(() -> null);
            Thread.sleep(200); // awaiting with no deadline: only the wake-up can end it

            long startNs = System.nanoTime();
            CompletableFuture<Long> ran = new CompletableFuture<>();
            assertThat(probe.submit(() -> ran.complete(System.nanoTime()))).as("wakeUp on an open transport").isTrue();
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(ran.get(WAIT_S, TimeUnit.SECONDS) - startNs);
            assertThat(latencyMs).as("ms from wakeUp to the step it asked for").isLessThan(200);

            long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            probe.wakeAt(deadlineNs);
            long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (probe.wokeAtNs() == 0 && System.nanoTime() < giveUpNs) {
                Thread.sleep(1);
            }
            assertThat(probe.wokeAtNs()).as("a step ran at or after the deadline").isNotZero();
            assertThat(probe.wokeAtNs() - deadlineNs).as("ns late").isBetween(0L, TimeUnit.MILLISECONDS.toNanos(500));
        } finally {
            transport.close();
        }
    }

    @Test
    void aClosedTransportFreesItsPortEndsItsThreadAndRefusesWakeUps() throws Exception {
        Transport transport = openTransport(DriverOptions.defaults(), metrics());
        InetSocketAddress address = transport.localAddress();
        ProbeAgent probe = new ProbeAgent(transport);
        Thread loop = probe.start();
        probe.onLoop(() -> null);

        transport.close();
        transport.close(); // idempotent

        loop.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertThat(loop.isAlive()).as("the loop thread ended").isFalse();
        assertThat(transport.wakeUp()).as("wakeUp after close").isFalse();
        try (DatagramChannel successor = DatagramChannel.open(StandardProtocolFamily.INET)) {
            successor.bind(address); // throws if the transport still held the port
            assertThat(successor.getLocalAddress()).isEqualTo(address);
        }
    }
}
