package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server with an {@link ItemPublisher} over loopback: the sender is confirmed only after the publisher
 * acknowledged, a failed publish fails the send, a full publisher refuses new items with SERVER_BUSY.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublisherConfirmationTest {

    /** A publisher whose acknowledgements the test gives by hand. */
    static final class HandPublisher implements ItemPublisher {
        final PublisherBudget budget;
        final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

        HandPublisher(int items) {
            budget = new PublisherBudget("test-log", items, 1L << 30, items, 1L << 30);
        }

        @Override
        public Reservation reserve(InetSocketAddress sender, ItemKind kind, long sizeBytes)
                throws PublisherRefusedException {
            return budget.reserve(sender, sizeBytes);
        }

        @Override
        public CompletionStage<Void> publish(Reservation reservation, PublishedItem item) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            done.whenComplete((ok, failure) -> reservation.release());
            pending.add(new Pending(item, done));
            return done;
        }

        @Override
        public void close() {
        }

        Pending next() throws InterruptedException {
            Pending p = pending.poll(20, TimeUnit.SECONDS);
            assertThat(p).as("an item reached the publisher").isNotNull();
            return p;
        }
    }

    record Pending(PublishedItem item, CompletableFuture<Void> done) {
    }

    @Test
    void theSenderIsConfirmedOnlyAfterThePublisherAcknowledgedTheItem() throws Exception {
        HandPublisher publisher = new HandPublisher(8);
        List<ReceivedItem> handled = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).publisher(publisher).onBytes(handled::add).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(new byte[5_000], "cam-7/a.bin"));
            Pending p = publisher.next();
            Thread.sleep(300);
            assertThat(sent).as("not confirmed while the publisher has not acknowledged").isNotDone();
            assertThat(handled).isEmpty();

            p.done().complete(null);

            SendResult result = sent.get(20, TimeUnit.SECONDS);
            assertThat(result.sha256Hex()).isEqualTo(p.item().sha256Hex());
            int port = server.localAddresses().get(0).getPort();
            assertThat(p.item().streamKey()).isEqualTo("cam-7");
            assertThat(p.item().name()).isEqualTo("a.bin");
            assertThat(p.item().port()).isEqualTo(port);
            assertThat(p.item().bytes()).hasSize(5_000);
            assertThat(p.item().dedupKey()).matches("[0-9a-f]{16}-\\d+:" + result.sha256Hex());
            awaitSize(handled, 1);
            assertThat(publisher.budget.items()).isZero();

            CompletableFuture<SendResult> plain = client.sendAsync(Item.bytes(new byte[10], "b.bin"));
            Pending second = publisher.next();
            second.done().complete(null);
            plain.get(20, TimeUnit.SECONDS);
            assertThat(second.item().streamKey()).isEqualTo(port + "/127.0.0.1:" + client.localAddress().getPort());
            assertThat(second.item().dedupKey()).isNotEqualTo(p.item().dedupKey());
        }
    }

    @Test
    void aPublishThatFailsFailsTheSendWithServerBusyAndTheApplicationNeverGetsTheItem() throws Exception {
        HandPublisher publisher = new HandPublisher(8);
        List<ReceivedItem> handled = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).publisher(publisher).onBytes(handled::add).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(new byte[100], "lost.bin"));
            publisher.next().done().completeExceptionally(new IOException("the log is down"));

            assertThatThrownBy(() -> sent.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UdpixException.class).hasMessageContaining("the log is down")
                    .hasMessageContaining("send it again later")
                    .satisfies(e -> assertThat(((UdpixException) e).errorCode()).isEqualTo(ErrorCode.SERVER_BUSY));
            Thread.sleep(200);
            assertThat(handled).isEmpty();
            assertThat(publisher.budget.items()).isZero();
        }
    }

    @Test
    void aFullPublisherRefusesANewItemWithServerBusyUntilRoomIsFree() throws Exception {
        HandPublisher publisher = new HandPublisher(2);
        try (UdpixServer server = UdpixServer.builder().port(0).publisher(publisher).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            CompletableFuture<SendResult> first = client.sendAsync(Item.bytes(new byte[100], "1.bin"));
            CompletableFuture<SendResult> second = client.sendAsync(Item.bytes(new byte[100], "2.bin"));
            Pending p1 = publisher.next();
            Pending p2 = publisher.next();

            assertThatThrownBy(() -> client.send(Item.bytes(new byte[100], "3.bin")))
                    .isInstanceOf(UdpixException.class).hasMessageContaining("test-log buffer is full")
                    .hasMessageContaining("try again later")
                    .satisfies(e -> assertThat(((UdpixException) e).errorCode()).isEqualTo(ErrorCode.SERVER_BUSY));

            p1.done().complete(null);
            p2.done().complete(null);
            first.get(20, TimeUnit.SECONDS);
            second.get(20, TimeUnit.SECONDS);
            CompletableFuture<SendResult> fourth = client.sendAsync(Item.bytes(new byte[100], "4.bin"));
            publisher.next().done().complete(null);
            assertThat(fourth.get(20, TimeUnit.SECONDS).name()).isEqualTo("4.bin");
        }
    }

    @Test
    void oneAddressCannotTakeMoreThanItsShareOfThePublishersRoom() throws Exception {
        PublisherBudget budget = new PublisherBudget("Kafka", 8, 1L << 20);
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.2", 5000);
        for (int i = 0; i < 2; i++) {
            budget.reserve(new InetSocketAddress("127.0.0.1", 6000 + i), 10);
        }

        assertThatThrownBy(() -> budget.reserve(a, 10)).isInstanceOf(PublisherRefusedException.class)
                .hasMessageContaining("127.0.0.1 already has 2 items").hasMessageContaining("its share is 2 items")
                .satisfies(e -> assertThat(((PublisherRefusedException) e).tryLater()).isTrue());
        ItemPublisher.Reservation other = budget.reserve(b, 10);
        assertThatThrownBy(() -> budget.reserve(b, 300_000)).as("bytes are shared too")
                .isInstanceOf(PublisherRefusedException.class);
        other.release();
        other.release();
        assertThat(budget.items(b.getAddress())).isZero();
        assertThat(budget.items()).isEqualTo(2);
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (list.size() < size && System.nanoTime() < deadlineNs) {
            Thread.sleep(10);
        }
        assertThat(list).hasSize(size);
    }
}
