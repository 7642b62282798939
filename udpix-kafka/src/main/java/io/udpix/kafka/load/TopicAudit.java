package io.udpix.kafka.load;

import io.udpix.kafka.RecordHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Checks a fleet run against the topic: reads every record from the first offset to the end offsets (by
 * assignment, no consumer group), keeps each one's dedup key and SHA-256 header (not its value: memory is two
 * strings per record), and compares with the items the senders had confirmed.
 */
public final class TopicAudit {

    /**
     * What the topic holds against what was confirmed.
     *
     * @param records         records in the topic
     * @param distinctDedup   distinct dedup keys among them
     * @param confirmed       items the senders counted as sent
     * @param missing         confirmed items (by SHA-256) with no record: must be 0
     * @param unconfirmed     records whose item no sender counted as sent (published, then the confirmation was
     *                        lost or refused: allowed by at-least-once, never counted as sent)
     */
    public record Audit(long records, long distinctDedup, long confirmed, long missing, long unconfirmed) {

        /** Records beyond the first of their dedup key. */
        public long duplicates() {
            return records - distinctDedup;
        }

        /** One line, {@code key=value} words. */
        public String summary() {
            return "audit records=" + records + " distinctDedup=" + distinctDedup + " duplicates=" + duplicates()
                    + " confirmed=" + confirmed + " missing=" + missing + " unconfirmed=" + unconfirmed;
        }
    }

    private TopicAudit() {
    }

    /** Audits {@code topic} against the confirmed SHA-256s; waits at most {@code wait} for the reads. */
    public static Audit audit(String bootstrap, String topic, Collection<String> confirmedSha256, Duration wait) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        long records = 0;
        Set<String> dedup = new HashSet<>();
        Set<String> shas = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, wait).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, wait));
            long deadlineNs = System.nanoTime() + wait.toNanos();
            while (!reached(consumer, end, wait)) {
                if (System.nanoTime() > deadlineNs) {
                    throw new IllegalStateException("reading " + topic + " did not reach " + end + " within " + wait);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    records++;
                    dedup.add(header(r, RecordHeaders.DEDUP));
                    shas.add(header(r, RecordHeaders.SHA256));
                }
            }
        }
        Set<String> confirmed = new HashSet<>(confirmedSha256);
        long missing = confirmed.stream().filter(sha -> !shas.contains(sha)).count();
        long unconfirmed = shas.stream().filter(sha -> !confirmed.contains(sha)).count();
        return new Audit(records, dedup.size(), confirmed.size(), missing, unconfirmed);
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
            Duration wait) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), wait) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The SHA-256s of {@link FleetLoad#writeConfirmed} files. */
    public static Set<String> confirmedSha256(Collection<Path> files) throws IOException {
        Set<String> shas = new HashSet<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split("\t");
                if (parts.length >= 2) {
                    shas.add(parts[1]);
                }
            }
        }
        return shas;
    }

    /**
     * {@code TopicAudit --kafka B --kafka-topic T CONFIRMED-FILE...}: prints {@link Audit#summary()}; exit 0 when
     * no confirmed item is missing, 1 otherwise.
     */
    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        String topic = null;
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kafka" -> bootstrap = args[++i];
                case "--kafka-topic" -> topic = args[++i];
                default -> files.add(Path.of(args[i]));
            }
        }
        if (bootstrap == null || topic == null) {
            throw new IllegalArgumentException("usage: TopicAudit --kafka B --kafka-topic T CONFIRMED-FILE...");
        }
        Audit audit = audit(bootstrap, topic, confirmedSha256(files), Duration.ofSeconds(120));
        System.out.println(audit.summary());
        System.exit(audit.missing() == 0 ? 0 : 1);
    }
}
