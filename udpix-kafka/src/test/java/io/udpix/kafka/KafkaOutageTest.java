package io.udpix.kafka;

import static io.udpix.kafka.KafkaItemPublisherTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.api.UdpixServer;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A broker that stops while senders send: the publisher's buffer fills (each sender address only to its share),
 * then new items are refused with SERVER_BUSY; nothing refused or failed lands as if sent; after the restart
 * every confirmed item is in the topic exactly once by its dedup key.
 */
class KafkaOutageTest {

    @Test
    void aStoppedBrokerFillsTheBufferThenItemsAreRefusedAndAfterItsRestartEveryConfirmedItemIsThereOnce()
            throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("outage", 2);
            // 8 items of room, 2 per sender address; acknowledgements may take a minute (the restart).
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), "outage")
                    .withBuffer(8, 8L << 20).withDeliveryTimeout(Duration.ofSeconds(90));
            // A second publisher on the same broker whose records time out after 2 s.
            KafkaSettings impatient = KafkaSettings.of(kafka.bootstrapServers(), "outage")
                    .withDeliveryTimeout(Duration.ofSeconds(2));
            try (KafkaItemPublisher publisher = KafkaItemPublisher.start(settings);
                    KafkaItemPublisher quick = KafkaItemPublisher.start(impatient);
                    UdpixServer server = UdpixServer.builder().port(0).publisher(publisher).start();
                    UdpixServer quickServer = UdpixServer.builder().port(0).publisher(quick).start();
                    UdpixClient a = UdpixClient.connect(server.localAddresses().get(0));
                    UdpixClient b = UdpixClient.builder(server.localAddresses().get(0))
                            .bind(new InetSocketAddress("127.0.0.2", 0)).connect();
                    UdpixClient c = UdpixClient.connect(quickServer.localAddresses().get(0))) {
                List<Sent> sent = new ArrayList<>();
                for (int i = 0; i < 5; i++) { // one at a time: A's share is 2 items
                    Sent s = send(a, "before-" + i, random);
                    s.future.get(30, TimeUnit.SECONDS);
                    sent.add(s);
                }

                kafka.stopBroker();
                List<Sent> fromA = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    fromA.add(send(a, "a-" + i, random));
                }
                List<Sent> fromB = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    fromB.add(send(b, "b-" + i, random));
                }
                // Refusals come at once (at the OPEN, before any byte): A gets its share (2) and no more.
                for (Sent s : fromA.subList(2, 10)) {
                    UdpixException refused = failure(s.future, 30);
                    assertThat(refused.errorCode()).as("seed %d", seed).isEqualTo(ErrorCode.SERVER_BUSY);
                    assertThat(refused.getMessage()).contains("Kafka buffer is shared").contains("try again later");
                }
                assertThat(fromA.subList(0, 2)).allMatch(s -> !s.future.isDone());
                // B's items were admitted beside A's: one sender cannot fill the room the others need.
                assertThat(fromB).allMatch(s -> !s.future.isDone());
                assertThat(publisher.budget().items()).isEqualTo(4);

                // Not acknowledged within its delivery timeout: the sender is told, nothing is reported as sent.
                Sent timedOut = send(c, "timed-out", random);
                UdpixException notConfirmed = failure(timedOut.future, 30);
                assertThat(notConfirmed.errorCode()).isEqualTo(ErrorCode.SERVER_BUSY);
                assertThat(notConfirmed.getMessage()).contains("not confirmed").contains("send it again later");

                kafka.startBroker();
                // Admitted items wait for the broker, or (when the producer lost the topic's metadata meanwhile)
                // fail with SERVER_BUSY: either way nothing unconfirmed is reported as sent.
                List<Sent> confirmed = new ArrayList<>(sent);
                for (Sent s : concat(fromA.subList(0, 2), fromB)) {
                    try {
                        s.future.get(120, TimeUnit.SECONDS);
                        confirmed.add(s);
                    } catch (ExecutionException e) {
                        assertThat(((UdpixException) e.getCause()).errorCode()).isEqualTo(ErrorCode.SERVER_BUSY);
                    }
                }
                // After the restart new items are confirmed again (the first may still find Kafka marked
                // unreachable for up to 5 s: sent again, as `udpix send --retry` does).
                Sent after = null;
                long retryUntilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int attempt = 0; after == null; attempt++) {
                    Sent s = send(a, "after-" + attempt, random);
                    try {
                        s.future.get(60, TimeUnit.SECONDS);
                        after = s;
                    } catch (ExecutionException e) {
                        assertThat(((UdpixException) e.getCause()).errorCode()).isEqualTo(ErrorCode.SERVER_BUSY);
                        assertThat(System.nanoTime()).as("confirmed again after the restart").isLessThan(retryUntilNs);
                        Thread.sleep(500);
                    }
                }
                confirmed.add(after);
                List<Sent> refusedItems = fromA.subList(2, 10);

                List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("outage");

                Map<String, Long> byDedup = records.stream().collect(Collectors.groupingBy(
                        r -> headers(r).get("udpix.dedup"), Collectors.counting()));
                assertThat(byDedup.values()).as("records per dedup key, seed %d", seed).allMatch(n -> n == 1);
                Set<String> names = new HashSet<>();
                records.forEach(r -> names.add(headers(r).get("udpix.name")));
                for (Sent s : confirmed) {
                    SendResult result = s.future.get();
                    assertThat(records.stream().filter(r -> result.sha256Hex().equals(headers(r).get("udpix.sha256"))))
                            .as("records of confirmed %s", s.name).hasSize(1);
                }
                assertThat(confirmed).as("confirmed items, seed %d", seed).hasSizeGreaterThanOrEqualTo(6);
                for (Sent s : refusedItems) {
                    assertThat(names).as("a refused item is not in the topic").doesNotContain(s.name);
                }
                assertThat(publisher.budget().items()).isZero();
            }
        }
    }

    private static Sent send(UdpixClient client, String name, Random random) {
        byte[] bytes = new byte[2_000 + random.nextInt(8_000)];
        random.nextBytes(bytes);
        return new Sent(name, client.sendAsync(Item.bytes(bytes, name + ".bin")));
    }

    private static UdpixException failure(CompletableFuture<SendResult> future, int seconds) throws Exception {
        try {
            future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(UdpixException.class);
            return (UdpixException) e.getCause();
        }
        throw new AssertionError("the send was confirmed, a failure was expected");
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private record Sent(String name, CompletableFuture<SendResult> future) {
    }

}
