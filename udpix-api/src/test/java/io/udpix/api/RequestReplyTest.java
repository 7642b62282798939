package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.store.MessageLog;
import io.udpix.driver.Driver;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.Drivers;
import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.ErrorCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests and replies over loopback: the reply is an item verified like any other, failures reach the sender. */
class RequestReplyTest {
    private static final long WAIT_S = 30;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void answersEachRequestWithItsHandlersReplyByteExactAndMatched() throws Exception {
        long seed = TestSeeds.seed(1501);
        try (UdpixServer server = UdpixServer.builder().port(0)
                .onItem(item -> Reply.bytes(reversed(item.readAllBytes()), "re-" + item.name())
                        .content().map(r -> Reply.item(r.withMeta("for", item.name()))).orElseThrow())
                .start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            List<byte[]> sent = new ArrayList<>();
            List<CompletableFuture<ReceivedItem>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] payload = TestData.randomBytes(i % 5 == 4 ? 300_000 : 10 + i * 700, seed + i);
                sent.add(payload);
                replies.add(client.request(Item.bytes(payload, "req-" + i + ".bin")));
            }
            for (int i = 0; i < 20; i++) {
                ReceivedItem reply = replies.get(i).get(WAIT_S, TimeUnit.SECONDS);
                assertThat(reply.bytes()).as("seed=%d reply %d", seed, i).hasValue(reversed(sent.get(i)));
                assertThat(reply.name()).isEqualTo("re-req-" + i + ".bin");
                assertThat(reply.meta()).containsEntry("for", "req-" + i + ".bin");
                assertThat(reply.sha256Hex()).isEqualTo(TestData.sha256(reversed(sent.get(i))));
                assertThat(reply.sender()).isEqualTo(server.localAddresses().get(0));
            }
            assertThat(client.unsolicitedItemsRefused()).isZero();
        }
    }

    @Test
    void givesTheHandlerTheSendersMetadataAndStoresItInTheLogAndBesideTheFile() throws Exception {
        Path out = dir.resolve("out");
        List<ReceivedItem> handled = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out)
                .onItem(item -> {
                    handled.add(item);
                    return Reply.json("{\"seen\":\"" + item.meta().get("camera") + "\"}");
                }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            Path photo = TestData.randomFile(dir.resolve("door.bin"), 5_000, 3);
            ReceivedItem fileReply = client.request(Item.file(photo).withMeta("camera", "door-2")
                    .withMeta("seq", "41"), Duration.ofSeconds(WAIT_S));
            ReceivedItem jsonReply = client.request(Item.jsonText("{\"t\":21.5}").withMeta("camera", "yard"),
                    Duration.ofSeconds(WAIT_S));
            client.send(Item.jsonText("{\"t\":1}"));

            assertThat(fileReply.text()).isEqualTo("{\"seen\":\"door-2\"}");
            assertThat(fileReply.kind()).isEqualTo(ItemKind.JSON);
            assertThat(jsonReply.text()).isEqualTo("{\"seen\":\"yard\"}");
            assertThat(handled.get(0).meta()).containsExactly(Map.entry("camera", "door-2"), Map.entry("seq", "41"));
            assertThat(handled.get(1).meta()).containsExactly(Map.entry("camera", "yard"));

            Path stored = server.outputDirectory().orElseThrow();
            JsonNode sidecar = MAPPER.readTree(stored.resolve("door.bin.meta.json").toFile());
            assertThat(MAPPER.convertValue(sidecar.get("meta"), Map.class))
                    .isEqualTo(Map.of("camera", "door-2", "seq", "41"));
            assertThat(sidecar.get("name").asText()).isEqualTo("door.bin");
            List<String> lines = Files.readAllLines(stored.resolve(MessageLog.FILE_NAME));
            assertThat(lines).hasSize(2);
            assertThat(MAPPER.readTree(lines.get(0)).get("meta").get("camera").asText()).isEqualTo("yard");
            assertThat(MAPPER.readTree(lines.get(1)).has("meta")).isFalse();
            assertThat(stored.resolve("message.json.meta.json")).doesNotExist();
        }
    }

    @Test
    void failsTheRequestWithTheHandlersMessageWhenItThrowsOrAnswersAnError() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0)
                .onItem(item -> {
                    if (item.name().startsWith("throw")) {
                        throw new IllegalStateException("camera offline");
                    }
                    return Reply.error("unknown sensor 'x'");
                }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            assertThatThrownBy(() -> client.request(Item.bytes(new byte[10], "throw.bin"), Duration.ofSeconds(WAIT_S)))
                    .isInstanceOfSatisfying(UdpixException.class,
                            e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.REFUSED))
                    .hasMessageContaining("request 'throw.bin' failed at").hasMessageContaining("camera offline");
            assertThatThrownBy(() -> client.request(Item.bytes(new byte[10], "x.bin"), Duration.ofSeconds(WAIT_S)))
                    .hasMessageContaining("unknown sensor 'x'");
        }
    }

    @Test
    void completesWithAnEmptyItemWhenTheHandlerAnswersNone() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).onItem(item -> Reply.none()).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            ReceivedItem reply = client.request(Item.bytes(new byte[10], "x.bin"), Duration.ofSeconds(WAIT_S));

            assertThat(reply.sizeBytes()).isZero();
            assertThat(reply.bytes()).hasValue(new byte[0]);
            assertThat(reply.meta()).isEmpty();
        }
    }

    @Test
    void failsFastWhenTheServerHasNoReplyHandler() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(dir).start();
                UdpixClient client = UdpixClient.builder(server.localAddresses().get(0))
                        .replyTimeout(Duration.ofSeconds(20)).connect()) {
            long startNs = System.nanoTime();
            assertThatThrownBy(() -> client.request(Item.bytes(new byte[10], "x.bin"), Duration.ofSeconds(WAIT_S)))
                    .hasMessageContaining("no reply handler");
            assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(dir.resolve("x.bin")).as("the item itself was stored").exists();
        }
    }

    @Test
    void failsWithTimedOutWhenNoReplyComesInTimeAndRefusesTheLateOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (UdpixServer server = UdpixServer.builder().port(0).onItem(item -> {
            release.await(WAIT_S, TimeUnit.SECONDS);
            return Reply.text("late");
        }).start();
                UdpixClient client = UdpixClient.builder(server.localAddresses().get(0))
                        .replyTimeout(Duration.ofMillis(300)).connect()) {
            CompletableFuture<ReceivedItem> reply = client.request(Item.bytes(new byte[10], "slow.bin"));

            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> reply.get(WAIT_S, TimeUnit.SECONDS));
            assertThat(failure.getCause()).isInstanceOfSatisfying(UdpixException.class,
                    e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.TIMED_OUT))
                    .hasMessageContaining("no reply to 'slow.bin'").hasMessageContaining("--reply-timeout");

            release.countDown();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (client.unsolicitedItemsRefused() == 0 && System.nanoTime() < deadlineNs) {
                Thread.sleep(20);
            }
            assertThat(client.unsolicitedItemsRefused()).as("the late reply is refused").isEqualTo(1);
        }
    }

    @Test
    void answersBusyAtOnceWhenOneAddressFillsItsShareOfTheHandlerQueue() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (UdpixServer server = UdpixServer.builder().port(0).requestThreads(1).onItem(item -> {
            release.await(WAIT_S, TimeUnit.SECONDS);
            return Reply.text("ok " + item.name());
        }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            List<CompletableFuture<ReceivedItem>> replies = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                replies.add(client.request(Item.bytes(new byte[] {(byte) i}, "r" + i)));
            }
            // 16 fit the address's share (a quarter of 64 for one thread); the others are answered at once.
            long busyDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (replies.stream().filter(CompletableFuture::isCompletedExceptionally).count() < 14
                    && System.nanoTime() < busyDeadlineNs) {
                Thread.sleep(20);
            }
            release.countDown();
            int ok = 0;
            int busy = 0;
            for (CompletableFuture<ReceivedItem> reply : replies) {
                try {
                    assertThat(reply.get(WAIT_S, TimeUnit.SECONDS).text()).startsWith("ok r");
                    ok++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).hasMessageContaining("busy");
                    busy++;
                }
            }
            assertThat(ok).isEqualTo(16);
            assertThat(busy).isEqualTo(14);
        }
    }

    @Test
    void stillCallsOnItemForItemsSentWithoutARequestAndSendsNothingBack() throws Exception {
        CompletableFuture<ReceivedItem> handled = new CompletableFuture<>();
        try (UdpixServer server = UdpixServer.builder().port(0).onItem(item -> {
            handled.complete(item);
            return Reply.text("nobody asked");
        }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes("hi".getBytes(StandardCharsets.UTF_8), "hi.txt").withMeta("k", "v"));

            assertThat(handled.get(WAIT_S, TimeUnit.SECONDS).meta()).containsEntry("k", "v");
            Thread.sleep(300);
            assertThat(client.unsolicitedItemsRefused()).isZero();
        }
    }

    @Test
    void refusesAndCountsItemsAServerPushesWithoutARequest() throws Exception {
        Endpoint endpoint = new Endpoint(EndpointConfig.builder().acceptConnections(true)
                .staticKey(StaticKeyPair.generate(new SecureRandom())).build(), SinkFactory.refuseAll());
        List<TransferFailed> pushFailures = new CopyOnWriteArrayList<>();
        AtomicReference<Driver<Endpoint>> driverRef = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        try (Driver<Endpoint> driver = Drivers.start("nio", endpoint,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), DriverOptions.defaults(), e -> {
                    if (e instanceof ConnectionEstablished c) {
                        await(started);
                        // Unasked: no REPLY_TO, and a REPLY_TO naming no request of this connection.
                        driverRef.get().execute(ep -> {
                            ep.send(c.connectionId(), push("push-1.bin", ItemExtensions.NONE), System.nanoTime());
                            ep.send(c.connectionId(), push("push-2.bin", ItemExtensions.NONE.withReplyTo(7)),
                                    System.nanoTime());
                        });
                    } else if (e instanceof TransferFailed f && !f.incoming()) {
                        pushFailures.add(f);
                    }
                })) {
            driverRef.set(driver);
            started.countDown();
            try (UdpixClient client = UdpixClient.connect(driver.localAddress())) {
                long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
                while (pushFailures.size() < 2 && System.nanoTime() < deadlineNs) {
                    Thread.sleep(20);
                }
                assertThat(pushFailures).extracting(TransferFailed::errorCode)
                        .containsExactly(ErrorCode.REFUSED, ErrorCode.REFUSED);
                assertThat(client.unsolicitedItemsRefused()).isEqualTo(2);
            }
        }
    }

    private static TransferRequest push(String name, ItemExtensions extensions) {
        byte[] bytes = new byte[50_000];
        return new TransferRequest(new TransferInfo(ItemKind.BYTES.wireCode(), name, "", bytes.length,
                Sha256.of(bytes), extensions), new ByteArraySource(bytes));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
