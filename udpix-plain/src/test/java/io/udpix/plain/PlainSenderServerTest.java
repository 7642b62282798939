package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainSenderServerTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);
    private final BlockingQueue<PlainItem> items = new ArrayBlockingQueue<>(256);
    private PlainServer server;

    @TempDir
    Path tempDir;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendsASmallImageAsOneDatagram() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        byte[] png = TestImages.noise("png", 100, 100, random);
        assertThat(png.length).isLessThan(PlainSender.MAX_DATAGRAM_BYTES);
        PlainSendResult result = send(PlainSendOptions.DEFAULTS, s -> s.sendBytes(png));
        assertThat(result).isEqualTo(new PlainSendResult(png.length, 1, false, 1));
        PlainItem item = nextItem();
        assertThat(item.kind()).isEqualTo(PlainItemKind.IMAGE);
        assertThat(item.readAllBytes()).as("seed=" + seed).isEqualTo(png);
    }

    @Test
    void sendsAChunkedImageStopAndWait() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        byte[] jpg = TestImages.noise("jpg", 200, 150, random);
        PlainSendResult result = send(PlainSendOptions.DEFAULTS.withChunkBytes(1024).withWaitEach(true),
                s -> s.sendBytes(jpg));
        long pieces = (jpg.length + 1023) / 1024;
        assertThat(result).isEqualTo(new PlainSendResult(jpg.length, 1 + pieces, true, 1 + pieces));
        assertThat(nextItem().readAllBytes()).as("seed=" + seed).isEqualTo(jpg);
        assertThat(server.counters().datagrams()).isEqualTo(1 + pieces);
    }

    @Test
    void streamsAnImageTooLargeForOneDatagramWithoutWaitingForEachReply() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        byte[] png = TestImages.noise("png", 300, 300, random);
        assertThat(png.length).isGreaterThan(PlainSender.MAX_DATAGRAM_BYTES);
        PlainSendResult result = send(PlainSendOptions.DEFAULTS, s -> s.sendBytes(png));
        assertThat(result.chunked()).isTrue();
        assertThat(result.datagrams()).isEqualTo(1 + (png.length + 1023) / 1024);
        assertThat(result.replies()).isEqualTo(result.datagrams());
        PlainItem item = nextItem();
        assertThat(item.extension()).isEqualTo("png");
        assertThat(item.readAllBytes()).as("seed=" + seed).isEqualTo(png);
    }

    @Test
    void streamsALargeFileThatTheServerSpillsToDisk() throws Exception {
        Path spill = Files.createDirectories(tempDir.resolve("spill"));
        startServer(PlainReceiverConfig.builder().memoryPerItemBytes(1 << 20).spillDirectory(spill).build());
        byte[] data = new byte[3_000_000];
        random.nextBytes(data);
        Path file = Files.write(tempDir.resolve("data.bin"), data);
        PlainSendResult result = send(PlainSendOptions.DEFAULTS.withChunkBytes(16_000), s -> s.sendFile(file));
        assertThat(result.itemBytes()).isEqualTo(data.length);
        PlainItem item = nextItem();
        assertThat(item.inMemory()).isFalse();
        assertThat(item.kind()).isEqualTo(PlainItemKind.BYTES);
        assertThat(item.readAllBytes()).as("seed=" + seed).isEqualTo(data);
        item.discard();
    }

    @Test
    void sendsJsonMessagesAsOneDatagramEach() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        List<String> sent = new ArrayList<>();
        try (PlainSender sender = PlainSender.open(server.localAddress(), PlainSendOptions.DEFAULTS)) {
            for (int i = 0; i < 50; i++) {
                String json = "{\"n\": " + i + ", \"v\": [" + random.nextInt() + ", \"\u00e9\u65e5\"]}";
                sent.add(json);
                assertThat(sender.sendJson(json).datagrams()).isEqualTo(1);
            }
        }
        for (String json : sent) {
            PlainItem item = nextItem();
            assertThat(item.kind()).isEqualTo(PlainItemKind.JSON);
            assertThat(new String(item.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(json);
        }
    }

    @Test
    void keepsTwoSendersOnOnePortApart() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        byte[] a = TestImages.noise("png", 200, 200, random);
        byte[] b = TestImages.noise("bmp", 150, 150, random);
        CompletableFuture<InetSocketAddress> fromA = sendAsync(a);
        CompletableFuture<InetSocketAddress> fromB = sendAsync(b);
        Map<InetSocketAddress, byte[]> expected = new HashMap<>();
        expected.put(fromA.get(30, TimeUnit.SECONDS), a);
        expected.put(fromB.get(30, TimeUnit.SECONDS), b);
        for (int i = 0; i < 2; i++) {
            PlainItem item = nextItem();
            assertThat(item.readAllBytes()).as("from " + item.from() + " seed=" + seed)
                    .isEqualTo(expected.get(item.from()));
        }
    }

    @Test
    void failsWithTheReceiversErrorText() throws Exception {
        startServer(PlainReceiverConfig.builder().maxItemBytes(10_000).build());
        byte[] data = new byte[20_000];
        random.nextBytes(data);
        // The refused header was 8 bytes, so the reply is cut to 8 (anti-amplification); the sender says so.
        assertThatThrownBy(() -> send(PlainSendOptions.DEFAULTS, s -> s.sendBytes(data)))
                .isInstanceOf(PlainSendException.class)
                .hasMessageStartingWith(server.localAddress().getAddress().getHostAddress() + ":"
                        + server.localAddress().getPort() + " replied: error: d (cut to the size of the datagram it"
                        + " answers")
                .hasMessageContaining("--max-size")
                .extracting(e -> ((PlainSendException) e).receiverReply())
                .isEqualTo("error: d");
        assertThat(server.counters().errors(PlainErrorReason.LENGTH_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void failsWhenTheServerCannotStoreTheItem() throws Exception {
        server = PlainServer.start(LOOPBACK_ANY_PORT, PlainReceiverConfig.defaults(), item -> {
            throw new java.io.UncheckedIOException(new IOException("disk full"));
        });
        assertThatThrownBy(() -> send(PlainSendOptions.DEFAULTS, s -> s.sendJson("{\"a\": 1, \"note\": \"" + "x".repeat(100) + "\"}")))
                .isInstanceOf(PlainSendException.class)
                .extracting(e -> ((PlainSendException) e).receiverReply()).asString()
                .startsWith("error: receiver could not store the item (").contains("disk full");
        assertThat(server.counters().errors(PlainErrorReason.STORE_FAILED)).isEqualTo(1);
    }

    @Test
    void serverDiscardsAnItemWhoseSenderFallsSilentAndTellsIt() throws Exception {
        startServer(PlainReceiverConfig.builder().silenceTimeout(Duration.ofMillis(200)).build());
        try (DatagramChannel client = DatagramChannel.open()) {
            client.connect(server.localAddress());
            client.write(java.nio.ByteBuffer.wrap(PlainHeaderFormat.DEFAULT.encode(5000)));
            client.write(java.nio.ByteBuffer.wrap(new byte[100]));
            client.socket().setSoTimeout(30_000);
            assertThat(readReply(client)).isEqualTo("received");
            assertThat(readReply(client)).isEqualTo("received");
            assertThat(readReply(client)).startsWith("error: nothing from ")
                    .contains("4900 of 5000 bytes were missing");
            assertThat(server.counters().errors(PlainErrorReason.SILENCE)).isEqualTo(1);
        }
        byte[] png = TestImages.noise("png", 20, 20, random);
        send(PlainSendOptions.DEFAULTS, s -> s.sendBytes(png));
        assertThat(nextItem().readAllBytes()).isEqualTo(png);
    }

    @Test
    void failsWithAClearErrorWhenNoReplyComes() throws Exception {
        try (DatagramChannel silent = DatagramChannel.open().bind(LOOPBACK_ANY_PORT)) {
            InetSocketAddress target = (InetSocketAddress) silent.getLocalAddress();
            PlainSendOptions options = PlainSendOptions.DEFAULTS.withReplyTimeout(Duration.ofMillis(200));
            try (PlainSender sender = PlainSender.open(target, options)) {
                assertThatThrownBy(() -> sender.sendJson("[1, 2, 3]"))
                        .isInstanceOf(PlainSendException.class)
                        .hasMessage("no reply from 127.0.0.1:" + target.getPort() + " within 200 ms; the receiver"
                                + " may not be running, or datagrams were lost - plain mode cannot recover from"
                                + " loss; use udpix's native mode");
            }
        }
    }

    @Test
    void failsWhenNothingListensOnThePort() throws Exception {
        InetSocketAddress closed;
        try (DatagramChannel probe = DatagramChannel.open().bind(LOOPBACK_ANY_PORT)) {
            closed = (InetSocketAddress) probe.getLocalAddress();
        }
        try (PlainSender sender = PlainSender.open(closed, PlainSendOptions.DEFAULTS
                .withReplyTimeout(Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> sender.sendJson("{}"))
                    .isInstanceOf(PlainSendException.class)
                    .hasMessageStartingWith("no reply from 127.0.0.1:" + closed.getPort());
        }
    }

    @Test
    void refusesJsonThatPlainReceiversWouldNotRecognise() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        try (PlainSender sender = PlainSender.open(server.localAddress(), PlainSendOptions.DEFAULTS)) {
            assertThatThrownBy(() -> sender.sendJson("42")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[42]");
            assertThatThrownBy(() -> sender.sendBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sendsATextFileWithAHeaderBecauseItIsNotAWholeItemOnItsOwn() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        byte[] text = "just some words, not an image and not JSON\n".getBytes(StandardCharsets.US_ASCII);
        Path file = Files.write(tempDir.resolve("note.txt"), text);
        PlainSendResult result = send(PlainSendOptions.DEFAULTS, s -> s.sendFile(file));
        assertThat(result.chunked()).isTrue();
        PlainItem item = nextItem();
        assertThat(item.kind()).isEqualTo(PlainItemKind.BYTES);
        assertThat(item.readAllBytes()).isEqualTo(text);
        assertThat(server.counters().errors()).isZero();
    }

    @Test
    void reportsAPortInUseWithTheFix() throws Exception {
        startServer(PlainReceiverConfig.defaults());
        assertThatThrownBy(() -> PlainServer.start(server.localAddress(), PlainReceiverConfig.defaults(), i -> { }))
                .isInstanceOf(BindException.class)
                .hasMessage("UDP port " + server.localAddress().getPort() + " on 127.0.0.1 is in use; pick another"
                        + " with --port");
    }

    private static String readReply(DatagramChannel client) throws IOException {
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[2048], 2048);
        client.socket().receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    private void startServer(PlainReceiverConfig config) throws IOException {
        server = PlainServer.start(LOOPBACK_ANY_PORT, config, items::add);
    }

    private PlainItem nextItem() throws InterruptedException {
        PlainItem item = items.poll(30, TimeUnit.SECONDS);
        assertThat(item).as("an item arrives; seed=" + seed + " counters: " + server.counters()).isNotNull();
        return item;
    }

    private PlainSendResult send(PlainSendOptions options, SendAction action) throws IOException {
        try (PlainSender sender = PlainSender.open(server.localAddress(), options)) {
            return action.send(sender);
        }
    }

    private CompletableFuture<InetSocketAddress> sendAsync(byte[] item) {
        return CompletableFuture.supplyAsync(() -> {
            try (PlainSender sender = PlainSender.open(server.localAddress(), PlainSendOptions.DEFAULTS)) {
                sender.sendBytes(item);
                return sender.localAddress();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private interface SendAction {
        PlainSendResult send(PlainSender sender) throws IOException;
    }
}
