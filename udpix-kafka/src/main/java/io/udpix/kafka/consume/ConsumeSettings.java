package io.udpix.kafka.consume;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What {@code udpix consume} reads and how.
 *
 * @param bootstrap      Kafka's bootstrap servers, {@code host:port[,host:port...]}
 * @param topic          the topic {@code udpix serve --kafka-topic} writes
 * @param group          the consumer group; null: a new group per run that commits nothing (like
 *                       kafka-console-consumer), so every run starts from {@code fromBeginning}'s end
 * @param fromBeginning  start at the oldest record when the group has no committed offset (else at the newest)
 * @param configFile     a Java properties file of further consumer settings (TLS, SASL...); null for none
 * @param maxRecords     stop after this many records; 0 for no limit
 * @param idleExit       stop when no record came for this long; null to run until stopped
 */
public record ConsumeSettings(String bootstrap, String topic, String group, boolean fromBeginning, Path configFile,
        long maxRecords, Duration idleExit) {

    /** Records per poll: with values of at most ~1 MiB each this bounds what one poll holds. */
    static final int MAX_POLL_RECORDS = 64;
    /** Bytes one fetch may bring, all partitions together (Kafka's default is 50 MiB). */
    static final int FETCH_MAX_BYTES = 8 << 20;
    /** Bytes one fetch may bring per partition; a single larger record still comes (Kafka never stalls on it). */
    static final int MAX_PARTITION_FETCH_BYTES = 2 << 20;

    /** Checks the settings. */
    public ConsumeSettings {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topic, "topic");
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException("--kafka needs host:port of a Kafka broker, e.g. localhost:9092");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("--kafka-topic needs the topic `udpix serve --kafka-topic` writes");
        }
        if (maxRecords < 0) {
            throw new IllegalArgumentException("--max-records must be >= 0 (0: no limit), was " + maxRecords);
        }
        if (idleExit != null && (idleExit.isNegative() || idleExit.isZero())) {
            throw new IllegalArgumentException("--idle-exit must be positive, was " + idleExit);
        }
    }

    /** True when offsets are committed (a group was named), so the next run goes on where this one stopped. */
    public boolean commits() {
        return group != null;
    }

    /**
     * The consumer's properties: ours, then the config file's (it may set anything but the deserializers, which
     * the record format fixes).
     *
     * @throws IOException when the config file cannot be read
     */
    public Properties consumerProperties() throws IOException {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group != null ? group : randomGroup());
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "udpix-consume");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        // Offsets are committed by hand after a poll's records were handled: a crash re-reads, never skips.
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Reading never creates a topic (a mistyped --kafka-topic would otherwise make an empty one).
        p.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        p.setProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_MAX_BYTES));
        p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_PARTITION_FETCH_BYTES));
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new IOException("cannot read --kafka-config " + configFile + " (" + e.getMessage()
                        + "); give a Java properties file of Kafka consumer settings", e);
            }
            p.putAll(file);
        }
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static String randomGroup() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return "udpix-consume-" + HexFormat.of().formatHex(bytes);
    }
}
