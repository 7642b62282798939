package io.udpix.cli.serve;

import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.convert.SizeConverter;
import io.udpix.kafka.FramePolicy;
import io.udpix.kafka.KafkaItemPublisher;
import io.udpix.kafka.KafkaSettings;
import io.udpix.kafka.KafkaStartException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * {@code --kafka BOOTSTRAP --kafka-topic TOPIC [--kafka-config FILE] [--kafka-frames all|every-N|none]
 * [--kafka-max-value SIZE]}: every verified item of {@code serve} becomes a Kafka record, confirmed to its sender
 * only after Kafka acknowledged it (docs/KAFKA.md).
 */
public final class KafkaOptions {

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]",
            description = "Publish every verified item to Kafka (these brokers) and confirm it to its sender only "
                    + "after Kafka acknowledged it (acks=all, idempotent). Needs --kafka-topic. Native mode. "
                    + "See docs/KAFKA.md.")
    private String bootstrap;

    @Option(names = "--kafka-topic", paramLabel = "TOPIC",
            description = "The topic the records go to; it must exist (serve checks at start).")
    private String topic;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Producer properties (Java properties file), e.g. security.protocol, ssl.*, sasl.* for "
                    + "TLS/SASL; acks, idempotence, sizes and timeouts udpix relies on are kept as it sets them.")
    private Path config;

    @Option(names = "--kafka-frames", paramLabel = "all|every-N|none", defaultValue = "every-30",
            description = "Which frames of incoming streams become records (default: ${DEFAULT-VALUE}; frames "
                    + "are best effort, never confirmed to their sender).")
    private String frames;

    @Option(names = "--kafka-max-value", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest item sent as the record's value (default 960KiB, under the broker's default "
                    + "message.max.bytes of 1 MiB); larger ones are stored under --out and sent as a reference "
                    + "{\"ref\",\"size\",\"sha256\"}. Without --out they are refused.")
    private Long maxValueBytes;

    private KafkaSettings settings;

    /** Whether {@code --kafka} was given. */
    public boolean enabled() {
        return bootstrap != null;
    }

    /**
     * Checks the options before anything binds or connects; {@code out} is {@code serve --out} (null: none).
     *
     * @throws CliException exit code 2 with the reason and the fix
     */
    public void check(boolean plain, Path out) {
        if (bootstrap == null) {
            if (topic != null || config != null || maxValueBytes != null) {
                throw CliException.badUsage("--kafka-topic, --kafka-config and --kafka-max-value apply only with "
                        + "--kafka HOST:PORT; add it or remove them");
            }
            return;
        }
        if (plain) {
            throw CliException.badUsage("--kafka needs native mode: plain mode confirms nothing, so it cannot wait "
                    + "for Kafka; leave out --plain or --kafka");
        }
        if (topic == null || topic.isBlank()) {
            throw CliException.badUsage("--kafka needs --kafka-topic TOPIC: the topic every record goes to");
        }
        try {
            KafkaSettings s = KafkaSettings.of(bootstrap, topic).withReferences(out != null)
                    .withFrames(FramePolicy.parse(frames));
            if (maxValueBytes != null) {
                s = s.withMaxValueBytes(maxValueBytes);
            }
            if (config != null) {
                s = s.withExtraProperties(read(config));
            }
            settings = s;
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage(e.getMessage());
        }
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw CliException.badUsage("--kafka-config " + file + ": no such file; give a Java properties file "
                    + "of producer settings");
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.badUsage("--kafka-config " + file + ": " + e.getMessage());
        }
        return properties;
    }

    /**
     * Connects (after {@link #check}); null without {@code --kafka}.
     *
     * @throws CliException exit code 3 when no broker answers or the topic is missing, with the fix
     */
    KafkaItemPublisher start() {
        if (settings == null) {
            return null;
        }
        try {
            return KafkaItemPublisher.start(settings);
        } catch (KafkaStartException e) {
            throw new CliException(ExitCodes.CANNOT_BIND_OR_REACH, e.getMessage(), e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw CliException.badUsage("cannot make the Kafka producer: " + e.getMessage()
                    + "; check --kafka-config");
        }
    }
}
