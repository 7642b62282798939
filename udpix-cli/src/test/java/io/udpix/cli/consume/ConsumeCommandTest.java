package io.udpix.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.Item;
import io.udpix.api.UdpixClient;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Main;
import io.udpix.kafka.EmbeddedKafka;
import io.udpix.kafka.consume.FormatRecords;
import io.udpix.kafka.consume.RecordReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix consume} against a real broker (EmbeddedKafka), records produced in the format of docs/KAFKA.md. */
class ConsumeCommandTest {

    private static EmbeddedKafka kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void savesWhatTheFleetPublishedPrintsALinePerRecordAndRefusesABadSha256() throws Exception {
        String topic = "fleet";
        kafka.createTopic(topic, 3);
        byte[] cat = bytes(1, 6_000);
        byte[] dog = bytes(2, 9_000);
        byte[] forged = bytes(3, 9_000);
        kafka.produceAll(FormatRecords.item(topic, "9000/127.0.0.1:50123", "cat.jpg", "image", cat, 1),
                FormatRecords.item(topic, "9001/127.0.0.1:50124", "../../dog.jpg", "image", dog, 2),
                FormatRecords.item(topic, "9002/127.0.0.1:50125", "evil.jpg", "image", forged,
                        RecordReader.sha256Hex(dog), 3));
        Path out = tmp.resolve("out");

        Run run = consume("--kafka", kafka.bootstrapServers(), "--kafka-topic", topic, "--from-beginning",
                "--out", out.toString(), "--max-records", "3", "--idle-exit", "60s");

        assertThat(run.exitCode).as(run.err).isEqualTo(1); // a damaged record was read
        assertThat(out.resolve("cat.jpg")).hasBinaryContent(cat);
        assertThat(out.resolve("dog.jpg")).hasBinaryContent(dog);
        assertThat(out.resolve("evil.jpg")).doesNotExist();
        assertThat(tmp.resolve("dog.jpg")).doesNotExist();
        assertThat(run.lines()).anySatisfy(line -> assertThat(line).startsWith("ok image cat.jpg 6000 bytes key "
                + "9000/127.0.0.1:50123 from 127.0.0.1:50123 on port 9000 received ").contains("-> "));
        assertThat(run.lines()).anySatisfy(line -> assertThat(line).startsWith("sha256-mismatch image evil.jpg"));
        assertThat(run.lines()).last().isEqualTo("consumed 3 records: 2 saved, 0 references, 0 duplicates, "
                + "1 sha256 mismatches (not saved), 0 malformed (skipped)");
    }

    @Test
    void printsOneJsonObjectPerRecordWithFormatJson() throws Exception {
        String topic = "json";
        kafka.createTopic(topic, 1);
        byte[] item = bytes(4, 1_000);
        kafka.produceAll(FormatRecords.item(topic, "cam-1", "a.jpg", "image", item, 7),
                FormatRecords.reference(topic, "cam-1", "big.tif", "big.tif", 40_000_000, RecordReader.sha256Hex(
                        item), 8));

        Run run = consume("--kafka", kafka.bootstrapServers(), "--kafka-topic", topic, "--from-beginning",
                "--max-records", "2", "--idle-exit", "60s", "--format", "json");

        assertThat(run.exitCode).as(run.err).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : run.lines()) {
            JsonNode node = json.readTree(line);
            if (node.path("event").asText().equals("record")) {
                records.add(node);
            }
        }
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("key").asText()).isEqualTo("cam-1");
        assertThat(records.get(0).path("size").asLong()).isEqualTo(1_000);
        assertThat(records.get(0).path("sha256").asText()).isEqualTo(RecordReader.sha256Hex(item));
        assertThat(records.get(0).path("dedup").asText()).isEqualTo("7:" + RecordReader.sha256Hex(item));
        assertThat(records.get(0).path("state").asText()).isEqualTo("ok");
        assertThat(records.get(1).path("state").asText()).isEqualTo("reference");
        assertThat(records.get(1).path("reference").asText()).contains("\"ref\":\"big.tif\"");
        assertThat(json.readTree(run.lines().get(run.lines().size() - 1)).path("references").asLong()).isEqualTo(1);
    }

    @Test
    void savesEndToEndWhatTwoServeKafkaReceiversConfirmedUnderTheirSafeNamesAndPrintsAReference()
            throws Exception {
        String topic = "end-to-end";
        kafka.createTopic(topic, 3);
        byte[] jpeg = new io.udpix.kafka.load.FleetImages(3_000, 5).withId("e2e-1");
        byte[] file = bytes(6, 10_000);
        byte[] big = bytes(7, 50_000);
        List<String> sentSha = new ArrayList<>();
        try (BackgroundServe first = serveKafka(topic, "r1");
             BackgroundServe second = serveKafka(topic, "r2", "--kafka-max-value", "32KiB")) {
            try (UdpixClient a = UdpixClient.connect(new InetSocketAddress("127.0.0.1", first.ports().get(0)));
                 UdpixClient b = UdpixClient.connect(new InetSocketAddress("127.0.0.1", second.ports().get(0)))) {
                sentSha.add(a.send(Item.bytes(jpeg, "cam.jpg")).sha256Hex());
                // A hostile name: its directory part is the stream key, and nothing of it may reach a path.
                sentSha.add(b.send(Item.bytes(file, "../../../escape.bin")).sha256Hex());
                sentSha.add(b.send(Item.json(Map.of("temp", 21))).sha256Hex());
                // Over the second receiver's value limit: the record refers to its file.
                sentSha.add(b.send(Item.bytes(big, "big.bin")).sha256Hex());
            }
            assertThat(first.stop().exitCode()).isZero();
            assertThat(second.stop().exitCode()).isZero();
        }
        Path out = tmp.resolve("fleet").resolve("out");

        Run run = consume("--kafka", kafka.bootstrapServers(), "--kafka-topic", topic, "--from-beginning",
                "--out", out.toString(), "--max-records", "4", "--idle-exit", "60s", "--format", "json");

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(out.resolve("big.bin")).doesNotExist();
        assertThat(out.resolve("cam.jpg")).hasBinaryContent(jpeg);
        assertThat(out.resolve("escape.bin")).hasBinaryContent(file);
        assertThat(tmp.resolve("escape.bin")).doesNotExist();
        assertThat(tmp.resolve("fleet").resolve("escape.bin")).doesNotExist();
        assertThat(Files.readString(out.resolve("messages.jsonl"))).contains("\"value\":{\"temp\":21}");
        ObjectMapper json = new ObjectMapper();
        List<String> seenSha = new ArrayList<>();
        for (String line : run.lines()) {
            JsonNode node = json.readTree(line);
            if (node.path("event").asText().equals("record")) {
                boolean isBig = node.path("name").asText().equals("big.bin");
                assertThat(node.path("state").asText()).isEqualTo(isBig ? "reference" : "ok");
                if (isBig) {
                    assertThat(node.path("reference").asText()).contains("\"ref\"").contains("big.bin");
                    assertThat(node.path("size").asLong()).isEqualTo(big.length);
                }
                seenSha.add(node.path("sha256").asText());
            }
        }
        assertThat(seenSha).containsExactlyInAnyOrderElementsOf(sentSha);
    }

    private BackgroundServe serveKafka(String topic, String name, String... more) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--out", tmp.resolve(name).toString(), "--kafka",
                kafka.bootstrapServers(), "--kafka-topic", topic));
        args.addAll(List.of(more));
        return BackgroundServe.start(args.toArray(String[]::new));
    }

    @Test
    void namesTheBrokerAndTheFixWhenKafkaIsNotThere() {
        Run run = consume("--kafka", "", "--kafka-topic", "t");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--kafka needs host:port");
    }

    @Test
    void aMissingTopicEndsWithExitCode3NamingTheTopicAndHowToCreateItWithoutCreatingIt() {
        Run run = consume("--kafka", kafka.bootstrapServers(), "--kafka-topic", "no-such-topic");

        assertThat(run.exitCode).isEqualTo(3);
        assertThat(run.err).contains("topic 'no-such-topic' does not exist").contains("kafka-topics.sh --create");
        assertThat(kafka.admin().listTopics().names()).succeedsWithin(java.time.Duration.ofSeconds(30))
                .satisfies(names -> assertThat(names).doesNotContain("no-such-topic"));
    }

    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            try (Stream<String> s = out.lines()) {
                return s.filter(line -> !line.startsWith("reading ")).toList();
            }
        }
    }

    static Run consume(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "consume";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
