package io.udpix.kafka.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer side of the record format against a real broker (EmbeddedKafka): what is saved, and what is not. */
class FleetConsumerTest {

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
    void savesEachItemUnderItsSafeNameWithItsBytesAndJsonAsMessageLines() throws Exception {
        String topic = "saves";
        kafka.createTopic(topic, 3);
        byte[] jpeg = randomBytes(1, 5_000);
        byte[] file = randomBytes(2, 70_000);
        byte[] json = "{\"temp\":21.5,\"n\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        kafka.produceAll(FormatRecords.item(topic, "9000/127.0.0.1:50123", "cat.jpg", "image", jpeg, 1),
                FormatRecords.item(topic, "cam-7", "report.pdf", "file", file, 2),
                FormatRecords.item(topic, "cam-7", "", "json", json, 3),
                // Same name again from another receiver: numbered, never replacing the first.
                FormatRecords.item(topic, "9001/127.0.0.1:50124", "cat.jpg", "image", file, 4));
        Path out = tmp.resolve("out");

        Recorded seen = consume(topic, out, 4);

        assertThat(seen.tally.records()).isEqualTo(4);
        assertThat(seen.tally.saved()).isEqualTo(4);
        assertThat(seen.tally.sha256Mismatches()).isZero();
        assertThat(out.resolve("cat.jpg")).hasBinaryContent(jpeg);
        assertThat(out.resolve("cat (1).jpg")).hasBinaryContent(file);
        assertThat(out.resolve("report.pdf")).hasBinaryContent(file);
        String messages = Files.readString(out.resolve("messages.jsonl"));
        assertThat(messages).contains("\"value\":{\"temp\":21.5,\"n\":[1,2]}").contains("\"port\":9000")
                .contains("\"from\":\"127.0.0.1:50123\"");
        assertThat(seen.keys).contains("9000/127.0.0.1:50123", "cam-7", "9001/127.0.0.1:50124");
    }

    @Test
    void hostileNamesNeverEscapeTheOutputDirectory() throws Exception {
        String topic = "hostile";
        kafka.createTopic(topic, 1);
        List<String> names = List.of("../../escape.jpg", "/etc/passwd", "..\\..\\win.jpg", "..", ".hidden",
                "a/../../b.jpg", "CON", "nul.txt", "x\u202Egpj.exe", "\u0000\u0001", "   ", "");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            records.add(FormatRecords.item(topic, "k", names.get(i), "file", randomBytes(10 + i, 100 + i), 10 + i));
        }
        kafka.produceAll(records.toArray(ProducerRecord[]::new));
        Path parent = tmp.resolve("jail");
        Path out = parent.resolve("out");

        Recorded seen = consume(topic, out, names.size());

        assertThat(seen.tally.saved()).isEqualTo(names.size());
        try (Stream<Path> all = Files.walk(parent)) {
            List<Path> files = all.filter(Files::isRegularFile).toList();
            // Every saved file directly in out (plus the store's lock file and messages.jsonl), nothing in a
            // subdirectory or above.
            assertThat(files).allSatisfy(p -> assertThat(p.getParent()).isEqualTo(out.toRealPath()));
            assertThat(files).hasSize(names.size() + 2);
        }
        assertThat(tmp.resolve("escape.jpg")).doesNotExist();
        assertThat(out.resolve("escape.jpg")).exists();
        assertThat(out.resolve("_CON")).exists();
        assertThat(seen.saved).allSatisfy(p -> assertThat(p.getFileName().toString())
                .doesNotContain("/", "\\", "\u202E").doesNotStartWith("."));
    }

    @Test
    void countsAValueWhoseSha256DiffersAndNeverSavesIt() throws Exception {
        String topic = "damaged";
        kafka.createTopic(topic, 1);
        byte[] good = randomBytes(20, 3_000);
        byte[] bad = randomBytes(21, 3_000);
        byte[] truncated = java.util.Arrays.copyOf(good, 2_000);
        kafka.produceAll(FormatRecords.item(topic, "k", "good.jpg", "image", good, 1),
                FormatRecords.item(topic, "k", "forged.jpg", "image", bad, RecordReader.sha256Hex(good), 2),
                // Right hash of the full item, but a value cut short: the size header gives it away too.
                FormatRecords.item(topic, "k", "cut.jpg", "image", truncated, RecordReader.sha256Hex(good), 3));
        Path out = tmp.resolve("out");

        Recorded seen = consume(topic, out, 3);

        assertThat(seen.tally.sha256Mismatches()).isEqualTo(2);
        assertThat(seen.tally.saved()).isEqualTo(1);
        assertThat(out.resolve("good.jpg")).hasBinaryContent(good);
        assertThat(out.resolve("forged.jpg")).doesNotExist();
        assertThat(out.resolve("cut.jpg")).doesNotExist();
        try (Stream<Path> all = Files.list(out)) {
            assertThat(all.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("good.jpg", ".udpix.lock",
                    "messages.jsonl");
        }
    }

    @Test
    void aReferenceIsToldButNotFetchedAndADuplicateIsSavedOnce() throws Exception {
        String topic = "refs";
        kafka.createTopic(topic, 1);
        byte[] item = randomBytes(30, 4_000);
        String sha = RecordReader.sha256Hex(item);
        kafka.produceAll(FormatRecords.reference(topic, "k", "huge.tif", "huge.tif", 50_000_000L, sha, 1),
                FormatRecords.item(topic, "k", "twice.jpg", "image", item, 2),
                FormatRecords.item(topic, "k", "twice.jpg", "image", item, 2));
        Path out = tmp.resolve("out");

        Recorded seen = consume(topic, out, 3);

        assertThat(seen.tally.references()).isEqualTo(1);
        assertThat(seen.tally.duplicates()).isEqualTo(1);
        assertThat(seen.tally.saved()).isEqualTo(1);
        assertThat(out.resolve("huge.tif")).doesNotExist();
        assertThat(out.resolve("twice (1).jpg")).doesNotExist();
        assertThat(out.resolve("twice.jpg")).hasBinaryContent(item);
    }

    @Test
    void aRecordWithoutTheFormatsHeadersIsCountedAsMalformedAndSkipped() throws Exception {
        String topic = "foreign";
        kafka.createTopic(topic, 1);
        byte[] item = randomBytes(40, 100);
        kafka.produceAll(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), "not ours".getBytes(
                StandardCharsets.UTF_8)), FormatRecords.item(topic, "k", "ok.bin", "file", item, 1));
        Path out = tmp.resolve("out");

        Recorded seen = consume(topic, out, 2);

        assertThat(seen.tally.malformed()).isEqualTo(1);
        assertThat(seen.malformed.get(0)).contains("udpix.kind").contains("offset 0");
        assertThat(out.resolve("ok.bin")).hasBinaryContent(item);
    }

    private record Recorded(FleetConsumer.Tally tally, List<String> keys, List<Path> saved, List<String> malformed) {
    }

    private static Recorded consume(String topic, Path out, int records) throws Exception {
        ConsumeSettings settings = new ConsumeSettings(kafka.bootstrapServers(), topic, null, true, null, records,
                Duration.ofSeconds(30));
        List<String> keys = new ArrayList<>();
        List<Path> saved = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        try (FleetConsumer consumer = new FleetConsumer(settings, out)) {
            FleetConsumer.Tally tally = consumer.run(new FleetConsumer.Listener() {
                @Override
                public void record(FleetRecord record, RecordReader.Check check, Path savedAs, boolean duplicate,
                        String saveError) {
                    keys.add(record.key());
                    if (savedAs != null) {
                        saved.add(savedAs);
                    }
                    assertThat(saveError).isNull();
                }

                @Override
                public void malformed(String reason) {
                    malformed.add(reason);
                }
            });
            return new Recorded(tally, keys, saved, malformed);
        }
    }

    private static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
