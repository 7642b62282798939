package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many small items sent back to back on one connection over loopback (several share a datagram, their RESULTs
 * share acknowledgements): each arrives exactly, once, where it belongs, and each send is confirmed with the hash
 * of what arrived.
 */
class SmallItemsOverLoopbackTest {
    private static final long WAIT_S = 60;
    private static final int JSON_ITEMS = 300;
    private static final int FILE_ITEMS = 60;

    @TempDir
    Path dir;

    @Test
    void manySmallJsonMessagesArriveInMemoryExactlyOnceEach() throws Exception {
        Map<String, String> received = new ConcurrentHashMap<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        try (UdpixServer server = UdpixServer.builder().port(0).onJson(item -> {
            String text = new String(item.bytes().orElseThrow(), StandardCharsets.UTF_8);
            if (received.put(item.name() + "#" + text, item.sha256Hex()) != null) {
                all.completeExceptionally(new AssertionError("delivered twice: " + item.name()));
            }
            if (received.size() == JSON_ITEMS) {
                all.complete(null);
            }
        }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            List<CompletableFuture<SendResult>> sends = new ArrayList<>();
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < JSON_ITEMS; i++) {
                Item item = Item.json(Map.of("n", i, "label", "cat-" + i, "pad", "x".repeat(i * 3)))
                        .withName("m" + i + ".json");
                items.add(item);
                sends.add(client.sendAsync(item));
            }
            for (int i = 0; i < JSON_ITEMS; i++) {
                SendResult r = sends.get(i).get(WAIT_S, TimeUnit.SECONDS);
                assertThat(r.sha256Hex()).isEqualTo(items.get(i).sha256Hex());
            }
            all.get(WAIT_S, TimeUnit.SECONDS);
        }
        assertThat(received).hasSize(JSON_ITEMS);
        for (Map.Entry<String, String> e : received.entrySet()) {
            String text = e.getKey().substring(e.getKey().indexOf('#') + 1);
            assertThat(e.getValue()).isEqualTo(TestData.sha256(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aSmallItemReachesTheCallbackThreadInOneHandOffWithItsEventsInOrder() throws Exception {
        int items = 50;
        List<ServerEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(items + 1);
        byte[] large = TestData.randomBytes(300_000, TestSeeds.seed(1302));
        try (UdpixServer server = UdpixServer.builder().port(0).onEvent(events::add)
                .onBytes(item -> handled.countDown()).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            long before = server.callbackTasks();
            List<CompletableFuture<SendResult>> sends = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                sends.add(client.sendAsync(Item.raw(ItemKind.BYTES, "s" + i + ".bin", "application/octet-stream",
                        ("small item " + i).getBytes(StandardCharsets.UTF_8))));
            }
            for (CompletableFuture<SendResult> send : sends) {
                send.get(WAIT_S, TimeUnit.SECONDS);
            }
            // STARTED, COMPLETED and the handler of each small item: one task on the callback thread.
            assertThat(waitForTasks(server, before + items)).as("hand-offs for %d small items", items)
                    .isEqualTo(before + items);

            client.send(Item.raw(ItemKind.BYTES, "large.bin", "application/octet-stream", large));
            assertThat(handled.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 0; i < items; i++) {
            String name = "s" + i + ".bin";
            assertThat(events.stream().filter(e -> e.name().equals(name)).map(ServerEvent::type).toList())
                    .as(name).containsExactly(ServerEvent.Type.STARTED, ServerEvent.Type.COMPLETED);
        }
        // A large item still reports STARTED at once, before its bytes arrive.
        assertThat(events.stream().filter(e -> e.name().equals("large.bin")).map(ServerEvent::type).toList())
                .startsWith(ServerEvent.Type.STARTED).endsWith(ServerEvent.Type.COMPLETED);
    }

    /** The callback task count once it stops changing (reports trail the senders' confirmations a little). */
    private static long waitForTasks(UdpixServer server, long expected) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.callbackTasks() < expected && System.nanoTime() < deadlineNs) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // a task too many would show now
        return server.callbackTasks();
    }

    @Test
    void manySmallFilesWhoseHashFollowsTheDataAreSavedExactly() throws Exception {
        long seed = TestSeeds.seed(1301);
        Path out = dir.resolve("out");
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < FILE_ITEMS; i++) {
            // 0 to ~40 KB: empty, one datagram, and a few datagrams.
            int size = i == 0 ? 0 : (int) Math.floorMod(seed + i * 7919L, 40_000L) + 1;
            sources.add(TestData.randomFile(dir.resolve("f" + i + ".bin"), size, seed + i));
        }
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            List<CompletableFuture<SendResult>> sends = new ArrayList<>();
            for (Path source : sources) {
                sends.add(client.sendAsync(Item.file(source))); // SHA-256 in a DIGEST frame after the data
            }
            for (int i = 0; i < FILE_ITEMS; i++) {
                SendResult r = sends.get(i).get(WAIT_S, TimeUnit.SECONDS);
                assertThat(r.sha256Hex()).as("seed=%d file %d", seed, i)
                        .isEqualTo(TestData.sha256(Files.readAllBytes(sources.get(i))));
            }
        }
        for (Path source : sources) {
            Path saved = out.resolve(source.getFileName());
            assertThat(saved).as("seed=%d", seed).exists();
            assertThat(Files.readAllBytes(saved)).as("seed=%d %s", seed, saved)
                    .isEqualTo(Files.readAllBytes(source));
        }
        assertThat(TestData.visibleFiles(out)).as("no extra files").filteredOn(n -> n.endsWith(".bin"))
                .hasSize(FILE_ITEMS).hasSize(TestData.visibleFiles(out).size() - 1); // and messages.jsonl
        assertThat(TestData.partFiles(out)).as("no temporary files").isEmpty();
    }
}
