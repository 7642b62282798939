package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve --kafka} through the real command line against an in-process broker. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeKafkaTest {
    private static EmbeddedKafka kafka;

    @TempDir
    Path temp;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void aSentFileBecomesARecordUnderTheSendersStreamKeyAndIsSavedInAFolderOfThatKey() throws Exception {
        kafka.createTopic("cli-items", 1);
        Path dir = temp.resolve("received");
        byte[] content = "a file for the log".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(temp.resolve("note.txt"), content);
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(),
                "--kafka", kafka.bootstrapServers(), "--kafka-topic", "cli-items", "--kafka-frames", "none")) {
            assertThat(serve.out().text()).contains("published to Kafka topic 'cli-items'");
            Cli.Result sent = Cli.run("send", file.toString(), "--to", serve.address(0), "--stream-key", "cam-7",
                    "--retry", "3");

            assertThat(sent.exitCode()).as(sent.toString()).isZero();
            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("cli-items");
            assertThat(records).hasSize(1);
            assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("cam-7");
            assertThat(records.get(0).value()).isEqualTo(content);
            Header name = records.get(0).headers().lastHeader("udpix.name");
            assertThat(new String(name.value(), StandardCharsets.UTF_8)).isEqualTo("note.txt");
            assertThat(serve.stop().exitCode()).isZero();
        }
        assertThat(dir.resolve("cam-7/note.txt")).hasBinaryContent(content);
    }

    @Test
    void aMissingTopicStopsServeAtStartNamingTheTopicAndHowToCreateIt() {
        Cli.Result result = Cli.run("serve", "--port", "0", "--kafka", kafka.bootstrapServers(), "--kafka-topic",
                "nowhere");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CANNOT_BIND_OR_REACH);
        assertThat(String.join("\n", result.err())).contains("'nowhere' does not exist")
                .contains("kafka-topics.sh --create --topic nowhere");
    }

    @Test
    void kafkaOptionsNeedATopicAndNativeMode() {
        ServeCommandTest.assertBadUsage(Cli.run("serve", "--port", "0", "--kafka", "127.0.0.1:9"),
                "--kafka needs --kafka-topic");
        ServeCommandTest.assertBadUsage(Cli.run("serve", "--port", "0", "--plain", "--kafka", "127.0.0.1:9",
                "--kafka-topic", "t"), "--kafka needs native mode");
        ServeCommandTest.assertBadUsage(Cli.run("serve", "--port", "0", "--kafka", "127.0.0.1:9",
                "--kafka-topic", "t", "--kafka-frames", "sometimes"), "--kafka-frames takes all, none or every-N");
    }
}
