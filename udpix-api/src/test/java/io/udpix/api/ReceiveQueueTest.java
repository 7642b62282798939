package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull API over loopback: {@link UdpixServer#receive(Duration)} gives items in the order they arrived, times
 * out empty, and holds senders' confirmations while its queue (or the sender's quarter of it) is full.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveQueueTest {
    /** How long a held confirmation is watched to be sure it is held (far above a loopback round trip). */
    private static final long HELD_CHECK_MS = 500;

    @Test
    void receiveReturnsItemsInTheOrderTheyArrived() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).receiveQueue().start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            for (int i = 0; i < 10; i++) {
                client.send(Item.bytes(("item " + i).getBytes(), "item-" + i + ".bin"));
            }
            for (int i = 0; i < 10; i++) {
                ReceivedItem item = server.receive(Duration.ofSeconds(10)).orElseThrow();
                assertThat(item.name()).isEqualTo("item-" + i + ".bin");
                assertThat(item.text()).isEqualTo("item " + i);
            }
        }
    }

    @Test
    void receiveTimesOutEmptyWhenNothingCame() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).receiveQueue(8).start()) {
            long startNs = System.nanoTime();
            Optional<ReceivedItem> none = server.receive(Duration.ofMillis(200));
            long waitedMs = (System.nanoTime() - startNs) / 1_000_000;
            assertThat(none).isEmpty();
            assertThat(waitedMs).isBetween(150L, 5_000L);
        }
    }

    @Test
    void aServerWithoutAQueueSaysHowToGetOne() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(i -> { }).start()) {
            assertThatThrownBy(() -> server.receive(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("receiveQueue(");
        }
    }

    @Test
    void aSendersExtraItemsAreConfirmedOnlyWhenReceiveMakesRoom(@TempDir Path out) throws Exception {
        // Capacity 8: one address may hold 2. A stall timeout far below the hold: a held item is not a stalled one.
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).receiveQueue(8)
                .endpointConfig(b -> b.stallTimeoutNs(TimeUnit.MILLISECONDS.toNanos(HELD_CHECK_MS / 3))).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            List<CompletableFuture<SendResult>> sends = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sends.add(client.sendAsync(Item.bytes(new byte[1_000 + i], "f" + i + ".bin")));
            }
            // Two storage threads may finish them in any order: which two get in first is not fixed.
            awaitConfirmed(sends, 2);
            Thread.sleep(HELD_CHECK_MS);
            assertThat(confirmed(sends)).as("beyond the sender's share: not confirmed").isEqualTo(2);

            Set<String> received = new HashSet<>();
            ReceivedItem first = server.receive(Duration.ofSeconds(5)).orElseThrow();
            received.add(first.name());
            awaitConfirmed(sends, 3);
            Thread.sleep(HELD_CHECK_MS);
            assertThat(confirmed(sends)).as("one taken, one more let in").isEqualTo(3);

            received.add(server.receive(Duration.ofSeconds(5)).orElseThrow().name());
            awaitConfirmed(sends, 4);
            received.add(server.receive(Duration.ofSeconds(5)).orElseThrow().name());
            ReceivedItem last = server.receive(Duration.ofSeconds(5)).orElseThrow();
            received.add(last.name());
            assertThat(received).containsExactlyInAnyOrder("f0.bin", "f1.bin", "f2.bin", "f3.bin");
            assertThat(last.savedPath()).hasValueSatisfying(p -> assertThat(p).exists()
                    .hasSize(last.sizeBytes()));
            for (CompletableFuture<SendResult> send : sends) {
                send.get(1, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aWaitingItemAtItsAddressesShareDoesNotBlockAnotherAddressBehindIt() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(4); // a share of 1
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.2", 1000);
        assertThat(queue.admit(a).toCompletableFuture()).isCompleted();
        CompletableFuture<Void> secondOfA = queue.admit(a).toCompletableFuture();
        CompletableFuture<Void> firstOfB = queue.admit(b).toCompletableFuture();
        assertThat(secondOfA).isNotDone();
        assertThat(firstOfB).as("b is under its share: past a's waiting item").isCompleted();
        assertThat(queue.waitingItems()).isEqualTo(1);

        queue.abandon(a); // a's admitted item will never come: its slot goes to a's waiting one
        assertThat(secondOfA).isCompleted();

        CompletableFuture<Void> thirdOfA = queue.admit(a).toCompletableFuture();
        queue.close();
        assertThat(thirdOfA).isCompletedExceptionally();
        assertThatThrownBy(thirdOfA::join).hasCauseInstanceOf(ReceiveQueue.Closed.class);
        assertThat(queue.admit(b).toCompletableFuture()).as("after close nothing is admitted")
                .isCompletedExceptionally();
        assertThat(queue.receive(Duration.ofSeconds(5))).as("closed and empty: at once").isEmpty();
    }

    private static int confirmed(List<CompletableFuture<SendResult>> sends) {
        return (int) sends.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    }

    private static void awaitConfirmed(List<CompletableFuture<SendResult>> sends, int count) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (confirmed(sends) < count && System.nanoTime() < deadlineNs) {
            Thread.sleep(10);
        }
        assertThat(confirmed(sends)).isEqualTo(count);
    }

    @Test
    void aSecondAddressStillGetsInWhileTheFirstHoldsItsShare() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).receiveQueue(4).start();
                UdpixClient first = UdpixClient.connect(server.localAddresses().get(0));
                UdpixClient second = UdpixClient.builder(server.localAddresses().get(0))
                        .bind(new InetSocketAddress("127.0.0.2", 0)).connect()) {
            // Capacity 4: one address may hold 1.
            first.send(Item.bytes(new byte[10], "a1.bin"));
            CompletableFuture<SendResult> a2 = first.sendAsync(Item.bytes(new byte[10], "a2.bin"));
            Thread.sleep(HELD_CHECK_MS);
            assertThat(a2).as("the first address is at its share").isNotDone();

            SendResult b1 = second.sendAsync(Item.bytes(new byte[10], "b1.bin")).get(10, TimeUnit.SECONDS);
            assertThat(b1.name()).isEqualTo("b1.bin");

            assertThat(server.receive(Duration.ofSeconds(5)).orElseThrow().name()).isEqualTo("a1.bin");
            a2.get(10, TimeUnit.SECONDS);
            assertThat(server.receive(Duration.ofSeconds(5)).orElseThrow().name()).isEqualTo("b1.bin");
            assertThat(server.receive(Duration.ofSeconds(5)).orElseThrow().name()).isEqualTo("a2.bin");
        }
    }

    @Test
    void closingTheServerReleasesAHeldSenderWithServerBusy() throws Exception {
        UdpixServer server = UdpixServer.builder().port(0).receiveQueue(1).closeGracePeriod(Duration.ofSeconds(5))
                .start();
        try (UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes(new byte[10], "kept.bin"));
            CompletableFuture<SendResult> held = client.sendAsync(Item.bytes(new byte[10], "held.bin"));
            Thread.sleep(HELD_CHECK_MS);
            assertThat(held).isNotDone();

            long startNs = System.nanoTime();
            server.close();
            long closeMs = (System.nanoTime() - startNs) / 1_000_000;

            assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UdpixException.class).hasMessageContaining("send it again")
                    .satisfies(e -> assertThat(((UdpixException) e).errorCode()).isEqualTo(ErrorCode.SERVER_BUSY));
            assertThat(closeMs).as("close does not wait out its grace period for a held item").isLessThan(4_000);
            assertThat(server.receive(Duration.ofSeconds(1)).orElseThrow().name()).isEqualTo("kept.bin");
            assertThat(server.receive(Duration.ofSeconds(1))).isEmpty();
        } finally {
            server.close();
        }
    }
}
