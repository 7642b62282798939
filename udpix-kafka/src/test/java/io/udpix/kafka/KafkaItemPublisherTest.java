package io.udpix.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Items published by a real udpix server to a real in-process broker, read back from the topic. */
class KafkaItemPublisherTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void itemsAndJsonLandWithTheStreamKeyHeadersAndExactBytes(@TempDir Path out) throws Exception {
        kafka.createTopic("items", 3);
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        byte[] image = new byte[40_000];
        random.nextBytes(image);
        String json = "{\"camera\":\"cam-7\",\"t\":1}";
        try (KafkaItemPublisher publisher = KafkaItemPublisher.start(KafkaSettings.of(kafka.bootstrapServers(),
                "items").withReferences(true));
                UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).publisher(publisher).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            SendResult sentImage = client.send(Item.raw(ItemKind.IMAGE, "cam-7/pic.png", "image/png", image));
            SendResult sentJson = client.send(Item.jsonText(json).withMeta("camera", "door-2"));
            int port = server.localAddresses().get(0).getPort();
            String clientAddress = "127.0.0.1:" + client.localAddress().getPort();

            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("items");

            assertThat(records).as("seed %d", seed).hasSize(2);
            ConsumerRecord<byte[], byte[]> imageRecord = bySha(records, sentImage.sha256Hex());
            assertThat(text(imageRecord.key())).isEqualTo("cam-7");
            assertThat(imageRecord.value()).isEqualTo(image);
            assertThat(headers(imageRecord)).containsEntry("udpix.name", "pic.png")
                    .containsEntry("udpix.kind", "image").containsEntry("udpix.size", "40000")
                    .containsEntry("udpix.sha256", sha256(image)).containsEntry("udpix.sender", clientAddress)
                    .containsEntry("udpix.port", Integer.toString(port)).doesNotContainKey("udpix.ref");
            assertThat(headers(imageRecord).get("udpix.dedup")).matches("[0-9a-f]{16}-\\d+:" + sha256(image));
            long receivedMs = Long.parseLong(headers(imageRecord).get("udpix.received"));
            assertThat(receivedMs).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());

            ConsumerRecord<byte[], byte[]> jsonRecord = bySha(records, sentJson.sha256Hex());
            assertThat(text(jsonRecord.key())).isEqualTo(port + "/" + clientAddress);
            assertThat(text(jsonRecord.value())).isEqualTo(json);
            assertThat(headers(jsonRecord)).containsEntry("udpix.kind", "json")
                    .containsEntry("udpix.meta.camera", "door-2");
            assertThat(headers(imageRecord)).doesNotContainKey("udpix.meta.camera");
            assertThat(headers(jsonRecord).get("udpix.dedup")).isNotEqualTo(headers(imageRecord).get("udpix.dedup"));
            // The output directory keeps the name's directory part, the key, as a folder (docs/PROTOCOL.md 4.4).
            assertThat(out.resolve("cam-7/pic.png")).hasBinaryContent(image);
        }
    }

    @Test
    void aLargeItemLandsAsAReferenceToItsStoredFile(@TempDir Path out) throws Exception {
        kafka.createTopic("large", 1);
        int limit = (int) KafkaSettings.DEFAULT_MAX_VALUE_BYTES;
        byte[] big = new byte[limit + 1];
        new Random(7).nextBytes(big);
        byte[] small = new byte[limit];
        new Random(8).nextBytes(small);
        try (KafkaItemPublisher publisher = KafkaItemPublisher.start(KafkaSettings.of(kafka.bootstrapServers(),
                "large").withReferences(true));
                UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).publisher(publisher).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.raw(ItemKind.FILE, "big.bin", "application/octet-stream", big));
            client.send(Item.raw(ItemKind.FILE, "exactly-the-limit.bin", "application/octet-stream", small));

            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("large");

            assertThat(records).hasSize(2);
            ConsumerRecord<byte[], byte[]> reference = bySha(records, sha256(big));
            assertThat(headers(reference)).containsEntry("udpix.ref", "1").containsEntry("udpix.size",
                    Integer.toString(big.length)).containsEntry("udpix.kind", "file");
            JsonNode ref = new ObjectMapper().readTree(reference.value());
            assertThat(ref.get("size").asLong()).isEqualTo(big.length);
            assertThat(ref.get("sha256").asText()).isEqualTo(sha256(big));
            assertThat(out.resolve(ref.get("ref").asText())).hasBinaryContent(big);
            ConsumerRecord<byte[], byte[]> inline = bySha(records, sha256(small));
            assertThat(inline.value()).isEqualTo(small);
            assertThat(headers(inline)).doesNotContainKey("udpix.ref");
        }
    }

    @Test
    void withoutAnOutputDirectoryAnItemOverTheValueLimitIsRefusedWithTheFix() throws Exception {
        kafka.createTopic("no-out", 1);
        try (KafkaItemPublisher publisher = KafkaItemPublisher.start(KafkaSettings.of(kafka.bootstrapServers(),
                "no-out").withMaxValueBytes(1_000));
                UdpixServer server = UdpixServer.builder().port(0).publisher(publisher).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes(new byte[1_000], "fits.bin"));
            assertThatThrownBy(() -> client.send(Item.bytes(new byte[1_001], "too-big.bin")))
                    .hasMessageContaining("--kafka-max-value").hasMessageContaining("--out");

            assertThat(kafka.readAll("no-out")).extracting(r -> headers(r).get("udpix.name"))
                    .containsExactly("fits.bin");
        }
    }

    @Test
    void startingAgainstAMissingTopicFailsNamingTheTopicAndTheFix() {
        assertThatThrownBy(() -> KafkaItemPublisher.start(KafkaSettings.of(kafka.bootstrapServers(), "absent")))
                .isInstanceOf(KafkaStartException.class)
                .hasMessageContaining("'absent' does not exist").hasMessageContaining("kafka-topics.sh --create");
    }

    @Test
    void everyNthFrameOfAStreamLandsUnderTheStreamsNameWithItsNumber() throws Exception {
        kafka.createTopic("frames", 1);
        List<io.udpix.api.stream.Frame> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        try (KafkaItemPublisher publisher = KafkaItemPublisher.start(KafkaSettings.of(kafka.bootstrapServers(),
                "frames").withFrames(FramePolicy.parse("every-5")));
                UdpixServer server = UdpixServer.builder().port(0).publisher(publisher).onFrame(delivered::add)
                        .start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            io.udpix.api.stream.FrameStream stream = client.openStream(io.udpix.api.stream.StreamOptions.builder()
                    .name("camera-1").fps(50).build());
            for (int i = 0; i < 20; i++) {
                byte[] frame = new byte[1_000 + random.nextInt(2_000)];
                random.nextBytes(frame);
                stream.send(frame);
                Thread.sleep(20);
            }
            stream.close();
            long deadlineNs = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            List<io.udpix.api.stream.Frame> expected;
            do {
                Thread.sleep(50);
                expected = delivered.stream().filter(f -> f.frameNumber() % 5 == 0).collect(Collectors.toList());
            } while ((delivered.size() < 15 || publisher.framesPublished() + publisher.framesSkipped()
                    < expected.size()) && System.nanoTime() < deadlineNs);

            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("frames");

            assertThat(expected).as("seed %d", seed).isNotEmpty();
            assertThat(publisher.framesSkipped()).isZero();
            assertThat(records).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                io.udpix.api.stream.Frame frame = expected.get(i);
                ConsumerRecord<byte[], byte[]> record = records.get(i);
                assertThat(text(record.key())).isEqualTo("camera-1");
                assertThat(record.value()).isEqualTo(frame.bytes());
                assertThat(headers(record)).containsEntry("udpix.kind", "frame")
                        .containsEntry("udpix.frame", Long.toString(frame.frameNumber()))
                        .containsEntry("udpix.stream", frame.streamKey())
                        .containsEntry("udpix.sha256", sha256(frame.bytes()));
            }
        }
    }

    @Test
    void startingWithNoBrokerAtTheAddressFailsNamingTheAddressAndWhatToCheck() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "127.0.0.1:" + closedPort;

        assertThatThrownBy(() -> KafkaItemPublisher.start(KafkaSettings.of(nowhere, "items")))
                .isInstanceOf(KafkaStartException.class)
                .hasMessageContaining("no Kafka broker answered at " + nowhere)
                .hasMessageContaining("Check --kafka");
    }

    static ConsumerRecord<byte[], byte[]> bySha(List<ConsumerRecord<byte[], byte[]>> records, String sha256) {
        List<ConsumerRecord<byte[], byte[]>> found = records.stream()
                .filter(r -> sha256.equals(headers(r).get("udpix.sha256"))).collect(Collectors.toList());
        assertThat(found).as("records with sha256 %s", sha256).hasSize(1);
        return found.get(0);
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> map = new java.util.HashMap<>();
        for (Header header : record.headers()) {
            map.put(header.key(), text(header.value()));
        }
        return map;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] read(Path path) throws Exception {
        return Files.readAllBytes(path);
    }
}
