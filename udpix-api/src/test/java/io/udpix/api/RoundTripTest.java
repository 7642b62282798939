package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of item from a client to a server over loopback, arriving exactly and where it belongs. */
class RoundTripTest {
    private static final long WAIT_S = 30;

    @TempDir
    Path dir;

    @Test
    void deliversBytesToTheHandlerInMemoryWithTheirSha256() throws Exception {
        long seed = TestSeeds.seed(11);
        byte[] payload = TestData.randomBytes(300_000, seed);
        CompletableFuture<ReceivedItem> received = new CompletableFuture<>();
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(received::complete).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            SendResult result = client.send(Item.bytes(payload, "payload.bin"));

            ReceivedItem item = received.get(WAIT_S, TimeUnit.SECONDS);
            assertThat(item.bytes()).as("seed=%d", seed).hasValue(payload);
            assertThat(item.savedPath()).isEmpty();
            assertThat(item.kind()).isEqualTo(ItemKind.BYTES);
            assertThat(item.name()).isEqualTo("payload.bin");
            assertThat(item.sha256Hex()).isEqualTo(TestData.sha256(payload)).isEqualTo(result.sha256Hex());
            assertThat(item.sender()).isEqualTo(client.localAddress());
            assertThat(item.port()).isEqualTo(server.localAddresses().get(0).getPort());
            assertThat(result.sizeBytes()).isEqualTo(payload.length);
            assertThat(result.elapsed()).isPositive();
        }
    }

    @Test
    void savesAFileWithTheExactBytesUnderItsNameAndNoTemporaryFile() throws Exception {
        long seed = TestSeeds.seed(12);
        Path source = TestData.randomFile(dir.resolve("report.pdf"), 3_000_000, seed);
        Path out = dir.resolve("out");
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            SendResult result = client.send(Item.file(source));

            Path saved = server.outputDirectory().orElseThrow().resolve("report.pdf");
            assertThat(saved).exists();
            assertThat(TestData.sha256(saved)).as("seed=%d", seed).isEqualTo(TestData.sha256(source))
                    .isEqualTo(result.sha256Hex());
            assertThat(Files.size(saved)).isEqualTo(3_000_000);
            assertThat(result.kind()).isEqualTo(ItemKind.FILE);
        }
        assertThat(TestData.partFiles(out)).isEmpty();
    }

    @Test
    void savesAnImageAndReportsItsSizeInTheItemAndTheEvent() throws Exception {
        long seed = TestSeeds.seed(13);
        BufferedImage image = TestData.image(64, 48, seed);
        CompletableFuture<ReceivedItem> received = new CompletableFuture<>();
        List<ServerEvent> events = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(dir).onImage(received::complete)
                .onEvent(events::add).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.image(image, "png").withName("frame.png"));

            ReceivedItem item = received.get(WAIT_S, TimeUnit.SECONDS);
            assertThat(item.kind()).isEqualTo(ItemKind.IMAGE);
            assertThat(item.image()).contains(new ImageInfo(64, 48, "png"));
            assertThat(item.warning()).isEmpty();
            Path saved = item.savedPath().orElseThrow();
            assertThat(saved).isEqualTo(server.outputDirectory().orElseThrow().resolve("frame.png"));
            assertThat(TestData.samePixels(ImageIO.read(saved.toFile()), image)).as("seed=%d", seed).isTrue();
        }
        ServerEvent completed = events.stream().filter(e -> e.type() == ServerEvent.Type.COMPLETED).findFirst()
                .orElseThrow();
        assertThat(completed.image()).isEqualTo(new ImageInfo(64, 48, "png"));
        assertThat(completed.kind()).isEqualTo(ItemKind.IMAGE);
        assertThat(events.get(0).type()).isEqualTo(ServerEvent.Type.STARTED);
    }

    @Test
    void checksOnlyTheImageHeaderByDefaultAndEveryPixelWhenAskedTo() throws Exception {
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        byte[] truncated = java.util.Arrays.copyOf(png.toByteArray(), 60);
        for (ImageCheck check : ImageCheck.values()) {
            CompletableFuture<ReceivedItem> received = new CompletableFuture<>();
            try (UdpixServer server = UdpixServer.builder().port(0).imageCheck(check).onImage(received::complete)
                    .start();
                    UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
                client.send(Item.bytes(truncated, "cut.png"));

                ReceivedItem item = received.get(WAIT_S, TimeUnit.SECONDS);
                assertThat(item.bytes()).as(check.name()).contains(truncated);
                switch (check) {
                    case NONE -> assertThat(item.image()).as(check.name()).isEmpty();
                    case HEADER -> assertThat(item.image()).as(check.name())
                            .contains(new ImageInfo(64, 48, "png"));
                    case DECODE -> assertThat(item.warning()).as(check.name())
                            .hasValueSatisfying(w -> assertThat(w).contains("does not decode"));
                }
            }
        }
    }

    @Test
    void keepsAFileWithAnImageNameThatDoesNotDecodeAndWarns() throws Exception {
        byte[] notAnImage = "this is text, whatever the name says".getBytes(StandardCharsets.UTF_8);
        CompletableFuture<ReceivedItem> received = new CompletableFuture<>();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(dir).onImage(received::complete)
                .start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes(notAnImage, "holiday.jpg"));

            ReceivedItem item = received.get(WAIT_S, TimeUnit.SECONDS);
            assertThat(item.image()).isEmpty();
            assertThat(item.warning()).hasValueSatisfying(w -> assertThat(w).contains("does not decode"));
            assertThat(Files.readAllBytes(item.savedPath().orElseThrow())).isEqualTo(notAnImage);
        }
    }

    @Test
    void appendsAJsonObjectAsOneLineOfMessagesJsonlAndHandsItToTheHandler() throws Exception {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("label", "cat");
        document.put("scores", List.of(1, 2.5, -3));
        document.put("nested", Map.of("ok", true));
        CompletableFuture<ReceivedItem> received = new CompletableFuture<>();
        Instant before = Instant.now();
        InetSocketAddress serverAddress;
        InetSocketAddress clientAddress;
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(dir).onJson(received::complete)
                .start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            serverAddress = server.localAddresses().get(0);
            clientAddress = client.localAddress();
            client.send(Item.json(document));
            assertThat(received.get(WAIT_S, TimeUnit.SECONDS).text()).isEqualTo(
                    new ObjectMapper().writeValueAsString(document));
        }
        List<String> lines = Files.readAllLines(dir.resolve("messages.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(Instant.parse(line.get("time").asText())).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(line.get("from").asText()).isEqualTo("127.0.0.1:" + clientAddress.getPort());
        assertThat(line.get("port").asInt()).isEqualTo(serverAddress.getPort());
        assertThat(line.get("value")).isEqualTo(new ObjectMapper().valueToTree(document));
    }

    @Test
    void deliversEmptyItemsToMemoryAndToTheOutputDirectory() throws Exception {
        CompletableFuture<ReceivedItem> inMemory = new CompletableFuture<>();
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        try (UdpixServer memoryServer = UdpixServer.builder().port(0).onBytes(inMemory::complete).start();
                UdpixServer fileServer = UdpixServer.builder().port(0).outputDirectory(dir.resolve("out")).start();
                UdpixClient toMemory = UdpixClient.connect(memoryServer.localAddresses().get(0));
                UdpixClient toFiles = UdpixClient.connect(fileServer.localAddresses().get(0))) {
            toMemory.send(Item.bytes(new byte[0], "nothing.bin"));
            toFiles.send(Item.file(empty));
            assertThat(inMemory.get(WAIT_S, TimeUnit.SECONDS).bytes()).hasValueSatisfying(
                    b -> assertThat(b).isEmpty());
            assertThat(fileServer.outputDirectory().orElseThrow().resolve("empty.txt")).isEmptyFile();
        }
    }

    @Test
    void listensOnEveryGivenPortAtOnce() throws Exception {
        List<ReceivedItem> received = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().ports(0, 0, 0).onBytes(received::add).start()) {
            List<InetSocketAddress> addresses = server.localAddresses();
            assertThat(addresses).hasSize(3).doesNotHaveDuplicates();
            for (InetSocketAddress address : addresses) {
                try (UdpixClient client = UdpixClient.connect(address)) {
                    client.send(Item.bytes(new byte[] {(byte) address.getPort()}, "p" + address.getPort()));
                }
            }
            waitFor(() -> received.size() == 3);
            for (ReceivedItem item : received) {
                assertThat(item.name()).isEqualTo("p" + item.port());
            }
        }
    }

    @Test
    void refusesAnItemLargerThanTheServersLimitBeforeSendingIt() throws Exception {
        List<ServerEvent> events = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(dir).maxItemBytes(1000)
                .onEvent(events::add).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(new byte[2000], "big.bin"));

            UdpixException e = failure(sent);
            assertThat(e.kind()).isEqualTo(UdpixException.Kind.TOO_LARGE);
            assertThat(e.getMessage()).contains("big.bin").contains("2000").contains("1000");
            // The refusal does not end the connection: a small item still goes through.
            client.send(Item.bytes(new byte[10], "small.bin"));
        }
        assertThat(TestData.visibleFiles(dir)).containsExactly("messages.jsonl", "small.bin");
        // The engine refused it before any sink existed; the server still reports it, once.
        assertThat(events).filteredOn(ev -> ev.name().equals("big.bin")).singleElement()
                .satisfies(ev -> {
                    assertThat(ev.type()).isEqualTo(ServerEvent.Type.FAILED);
                    assertThat(ev.message()).contains("exceeds");
                    assertThat(ev.sizeBytes()).isEqualTo(2000);
                });
        assertThat(events).filteredOn(ev -> ev.name().equals("small.bin")).extracting(ServerEvent::type)
                .containsExactly(ServerEvent.Type.STARTED, ServerEvent.Type.COMPLETED);
    }

    @Test
    void refusesAKindTheServerDoesNotTake() throws Exception {
        List<ServerEvent> events = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).onJson(item -> { }).onEvent(events::add).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            UdpixException e = failure(client.sendAsync(Item.bytes(new byte[10], "x.bin")));
            assertThat(e.kind()).isEqualTo(UdpixException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("does not take bytes items");
        }
        assertThat(events).singleElement().satisfies(ev -> {
            assertThat(ev.type()).isEqualTo(ServerEvent.Type.FAILED);
            assertThat(ev.kind()).isEqualTo(ItemKind.BYTES);
            assertThat(ev.message()).contains("does not take bytes items");
        });
    }

    @Test
    void reportsProgressUpToTheTotalOnTheIoThreadAndRefusesABlockingSendThere() throws Exception {
        long seed = TestSeeds.seed(14);
        Path source = TestData.randomFile(dir.resolve("big.bin"), 8_000_000, seed);
        List<long[]> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> nestedSend = new CompletableFuture<>();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(dir.resolve("out")).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            Item item = Item.file(source);
            client.sendAsync(item, (done, total) -> {
                progress.add(new long[] {done, total});
                if (!nestedSend.isDone()) {
                    // Listeners run on the I/O thread, where a blocking send could never finish.
                    try {
                        client.send(Item.bytes(new byte[1], "x"));
                        nestedSend.complete(null);
                    } catch (Throwable t) {
                        nestedSend.complete(t);
                    }
                }
            }).get(WAIT_S, TimeUnit.SECONDS);
        }
        assertThat(nestedSend.get(WAIT_S, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sendAsync");
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(0)[0]).isZero();
        assertThat(progress.get(progress.size() - 1)).containsExactly(8_000_000, 8_000_000);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)[0]).isGreaterThanOrEqualTo(progress.get(i - 1)[0]);
        }
    }

    static UdpixException failure(CompletableFuture<?> future) throws Exception {
        try {
            Object value = future.get(WAIT_S, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(UdpixException.class);
            return (UdpixException) e.getCause();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadlineNs = System.nanoTime() + Duration.ofSeconds(WAIT_S).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNs) {
                throw new AssertionError("condition not met within " + WAIT_S + " s");
            }
            Thread.sleep(10);
        }
    }
}
