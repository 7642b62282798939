package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.driver.DriverOptions;
import io.udpix.driver.EchoEndpoint;
import io.udpix.driver.EventfulEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EpollDriverCommandTest {

    @BeforeEach
    void skipWithoutEpoll() {
        Loopback.assumeEpoll();
    }
    private static final long WAIT_S = 30;

    /** State only the loop thread touches; plain fields on purpose (a data race would lose counts). */
    private static final class LoopState {
        long counter;
    }

    @Test
    void callsFromManyThreadsAllRunOnTheLoopThreadInEachCallersOrder() throws Exception {
        int threads = 4;
        int callsPerThread = 500;
        LoopState state = new LoopState();
        try (EpollDriver driver = Loopback.start(new EchoEndpoint())) {
            String loopName = driver.loopThread().getName();
            List<List<CompletableFuture<String>>> results = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<CompletableFuture<String>> mine = new ArrayList<>();
                results.add(mine);
                callers.add(new Thread(() -> {
                    for (int i = 0; i < callsPerThread; i++) {
                        mine.add(driver.call(endpoint -> (state.counter++) + " " + Thread.currentThread().getName()));
                    }
                }));
            }
            callers.forEach(Thread::start);
            for (Thread caller : callers) {
                caller.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            }

            for (List<CompletableFuture<String>> mine : results) {
                assertThat(mine).hasSize(callsPerThread);
                long previous = -1;
                for (CompletableFuture<String> future : mine) {
                    String[] parts = future.get(WAIT_S, TimeUnit.SECONDS).split(" ");
                    assertThat(parts[1]).isEqualTo(loopName);
                    long order = Long.parseLong(parts[0]);
                    assertThat(order).isGreaterThan(previous);
                    previous = order;
                }
            }
            assertThat(driver.call(endpoint -> state.counter).get(WAIT_S, TimeUnit.SECONDS))
                    .isEqualTo((long) threads * callsPerThread);
        }
    }

    @Test
    void aCallThatThrowsFailsItsFutureAndNotTheDriver() throws Exception {
        try (EpollDriver driver = Loopback.start(new EchoEndpoint())) {
            CompletableFuture<Integer> failing = driver.call(endpoint -> {
                throw new IllegalStateException("toy failure");
            });

            assertThatThrownBy(() -> failing.get(WAIT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(driver.call(endpoint -> 7).get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(driver.stats().callbackErrors()).isZero();
        }
    }

    @Test
    void aCommandThatThrowsIsCountedAndTheLoopGoesOn() throws Exception {
        try (EpollDriver driver = Loopback.start(new EchoEndpoint())) {
            driver.execute(endpoint -> {
                throw new IllegalStateException("toy failure");
            });

            assertThat(driver.call(endpoint -> "alive").get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("alive");
            assertThat(driver.stats().callbackErrors()).isEqualTo(1);
        }
    }

    @Test
    void executeIsRejectedWhenTheQueueIsFull() throws Exception {
        int capacity = 8;
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        try (EpollDriver driver = Loopback.start(new EchoEndpoint(),
                DriverOptions.defaults().withCommandQueueCapacity(capacity))) {
            driver.execute(endpoint -> {
                started.countDown();
                await(gate);
            });
            assertThat(started.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < capacity; i++) {
                int value = i;
                queued.add(driver.call(endpoint -> value));
            }

            assertThatThrownBy(() -> driver.execute(endpoint -> { }))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("is full (8 commands)");
            gate.countDown();
            for (int i = 0; i < capacity; i++) {
                assertThat(queued.get(i).get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(i);
            }
        }
    }

    @Test
    void executeAfterCloseIsRejected() throws Exception {
        EpollDriver driver = Loopback.start(new EchoEndpoint());
        driver.close();

        assertThatThrownBy(() -> driver.execute(endpoint -> { }))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> driver.call(endpoint -> 1)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aCallStillQueuedWhenTheDriverClosesFailsInsteadOfHanging() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        EpollDriver[] holder = new EpollDriver[1];
        try (EpollDriver driver = Loopback.start(new EchoEndpoint())) {
            holder[0] = driver;
            driver.execute(endpoint -> {
                await(gate);
                holder[0].close(); // from the loop thread: returns at once, the loop ends after this pass
            });
            CompletableFuture<Integer> stranded = driver.call(endpoint -> 1);
            gate.countDown();

            assertThatThrownBy(() -> stranded.get(WAIT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("closed before the call ran");
        }
    }

    @Test
    void eventsReachTheConsumerOnTheLoopThreadInOrder() throws Exception {
        EventfulEndpoint endpoint = new EventfulEndpoint();
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        int count = 10_000; // more than one pass delivers, so the per-pass bound is crossed
        try (EpollDriver driver = EpollDriver.start(endpoint, Loopback.anyPort(), DriverOptions.defaults(),
                event -> seen.add(event.connectionId() + " " + Thread.currentThread().getName()))) {
            InetSocketAddress peer = driver.localAddress();
            driver.execute(ep -> endpoint.emit(count, peer));

            for (int i = 0; i < count; i++) {
                assertThat(seen.poll(WAIT_S, TimeUnit.SECONDS))
                        .isEqualTo(i + " " + driver.loopThread().getName());
            }
        }
    }

    @Test
    void anEventConsumerThatThrowsIsCountedAndLaterEventsStillArrive() throws Exception {
        EventfulEndpoint endpoint = new EventfulEndpoint();
        LinkedBlockingQueue<Long> seen = new LinkedBlockingQueue<>();
        java.util.function.Consumer<EndpointEvent> picky = event -> {
            if (event.connectionId() == 1) {
                throw new IllegalStateException("toy consumer failure");
            }
            seen.add(event.connectionId());
        };
        try (EpollDriver driver = EpollDriver.start(endpoint, Loopback.anyPort(), DriverOptions.defaults(), picky)) {
            driver.execute(ep -> endpoint.emit(3, driver.localAddress()));

            assertThat(seen.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo(0L);
            assertThat(seen.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo(2L);
            assertThat(driver.stats().callbackErrors()).isEqualTo(1);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
