package io.udpix.kafka.consume;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads what a fleet of {@code udpix serve --kafka} receivers published: every record is read
 * ({@link RecordReader}), checked, saved when asked ({@link FleetStore}) and told to a {@link Listener}. A record
 * whose value does not match its SHA-256 is counted and never saved; a malformed one is counted and skipped; a
 * record whose dedup key was seen among the last {@link #DEDUP_WINDOW} (a sender's retry after a lost
 * confirmation publishes the item again: docs/KAFKA.md, at-least-once) is told but not saved twice.
 *
 * <p>Memory is bounded: one poll holds at most {@link ConsumeSettings#MAX_POLL_RECORDS} records and
 * {@link ConsumeSettings#FETCH_MAX_BYTES} bytes, and the dedup window is a fixed number of keys.
 */
public final class FleetConsumer implements AutoCloseable {

    /** Dedup keys remembered; a duplicate further back than this is saved again (under a numbered name). */
    public static final int DEDUP_WINDOW = 65_536;
    private static final Duration POLL = Duration.ofMillis(200);

    /** Told of each record, on the consuming thread. */
    public interface Listener {
        /**
         * A record was read.
         *
         * @param record     the record
         * @param check      what its check found
         * @param savedAs    where it was saved; null when it was not (no --out, a reference, a bad or duplicate
         *                   record, or the disk refused it)
         * @param duplicate  its dedup key was seen before
         * @param saveError  why saving failed; null when it did not fail
         */
        void record(FleetRecord record, RecordReader.Check check, Path savedAs, boolean duplicate, String saveError);

        /** A record that does not follow the format was skipped; {@code reason} names what is wrong. */
        void malformed(String reason);
    }

    /** What a run read. */
    public record Tally(long records, long saved, long references, long sha256Mismatches, long malformed,
            long duplicates, long saveFailures) {
    }

    private final ConsumeSettings settings;
    private final FleetStore store;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Boolean> recentDedupKeys = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DEDUP_WINDOW;
        }
    };
    private volatile boolean stopRequested;
    private long records;
    private long saved;
    private long references;
    private long mismatches;
    private long malformed;
    private long duplicates;
    private long saveFailures;

    /**
     * A consumer subscribed to the settings' topic, saving into {@code outDir} when it is not null.
     *
     * @throws IOException when the output directory or the config file cannot be used
     */
    public FleetConsumer(ConsumeSettings settings, Path outDir) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = outDir == null ? null : new FleetStore(outDir);
        try {
            this.consumer = new KafkaConsumer<>(settings.consumerProperties());
        } catch (IOException | RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
        consumer.subscribe(List.of(settings.topic()));
    }

    /**
     * Checks, before reading, that the broker answers and the topic exists: a consumer would otherwise wait
     * silently for a broker that is not there.
     *
     * @throws UnavailableException naming what is missing and how to fix it
     */
    public void checkTopic(Duration wait) throws UnavailableException {
        List<org.apache.kafka.common.PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(settings.topic(), wait);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new UnavailableException("no answer from Kafka at " + settings.bootstrap() + " within "
                    + wait.toSeconds() + " s; is the broker running there? (check --kafka and --kafka-config)");
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new UnavailableException("Kafka at " + settings.bootstrap() + " refused: " + e.getMessage()
                    + " (check --kafka-config)");
        }
        if (partitions == null || partitions.isEmpty()) {
            throw new UnavailableException("topic '" + settings.topic() + "' does not exist at "
                    + settings.bootstrap() + "; create it (kafka-topics.sh --create --topic " + settings.topic()
                    + " --bootstrap-server " + settings.bootstrap() + ") or check --kafka-topic");
        }
    }

    /** The broker does not answer, or the topic does not exist; the message says which and the fix. */
    public static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }

    /** The output directory as a real path; null without one. */
    public Path outDir() {
        return store == null ? null : store.dir();
    }

    /**
     * Reads until {@link #stop()}, the settings' record limit or their idle time; returns what was read. Runs on
     * one thread.
     */
    public Tally run(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        long lastRecordNs = System.nanoTime();
        try {
            while (!stopRequested && !limitReached()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                if (batch.isEmpty()) {
                    if (settings.idleExit() != null
                            && System.nanoTime() - lastRecordNs >= settings.idleExit().toNanos()) {
                        break;
                    }
                    continue;
                }
                lastRecordNs = System.nanoTime();
                Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
                try {
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        if (limitReached()) {
                            // Not taken, nor committed: with a group, the next run reads it.
                            break;
                        }
                        take(record, listener);
                        handled.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                } finally {
                    // Only what was handled (saved, or told as bad): a crash before this re-reads, never skips.
                    if (settings.commits() && !handled.isEmpty()) {
                        consumer.commitSync(handled);
                    }
                }
            }
        } catch (WakeupException e) {
            // stop() from another thread: a normal end.
        }
        return tally();
    }

    private boolean limitReached() {
        return settings.maxRecords() > 0 && records >= settings.maxRecords();
    }

    private void take(ConsumerRecord<byte[], byte[]> raw, Listener listener) {
        records++;
        FleetRecord record;
        try {
            record = RecordReader.read(raw);
        } catch (MalformedRecordException e) {
            malformed++;
            listener.malformed(e.getMessage());
            return;
        }
        RecordReader.Check check = RecordReader.check(record);
        boolean duplicate = check == RecordReader.Check.OK && recentDedupKeys.put(record.dedupKey(), Boolean.TRUE)
                != null;
        Path savedAs = null;
        String saveError = null;
        switch (check) {
            case REFERENCE -> references++;
            case SHA256_MISMATCH -> mismatches++;
            case OK -> {
                if (duplicate) {
                    duplicates++;
                } else if (store != null) {
                    try {
                        savedAs = store.save(record);
                        saved++;
                    } catch (IOException | IllegalArgumentException e) {
                        saveFailures++;
                        saveError = e.getMessage();
                        // Not remembered: a later copy of the same item may still be saved.
                        recentDedupKeys.remove(record.dedupKey());
                    }
                }
            }
            default -> throw new IllegalStateException("unknown check " + check);
        }
        listener.record(record, check, savedAs, duplicate, saveError);
    }

    /** What was read so far; for the consuming thread (or after {@link #run} returned). */
    public Tally tally() {
        return new Tally(records, saved, references, mismatches, malformed, duplicates, saveFailures);
    }

    /** Makes {@link #run} return soon; thread-safe. */
    public void stop() {
        stopRequested = true;
        consumer.wakeup();
    }

    /** Closes the consumer (leaving its group) and the output directory. */
    @Override
    public void close() throws IOException {
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }
}
