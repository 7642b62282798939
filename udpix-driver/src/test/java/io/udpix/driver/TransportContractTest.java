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
}
