package io.udpix.cli.consume;

import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.Main;
import io.udpix.cli.OutputOptions;
import io.udpix.cli.UdpixCommand;
import io.udpix.cli.report.JsonObjectLine;
import io.udpix.cli.report.ReportFormat;
import io.udpix.cli.report.Units;
import io.udpix.kafka.consume.ConsumeSettings;
import io.udpix.kafka.consume.FleetConsumer;
import io.udpix.kafka.consume.FleetRecord;
import io.udpix.kafka.consume.RecordReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code udpix consume}: shows or saves what a fleet of {@code udpix serve --kafka} receivers published. */
@Command(
        name = "consume",
        description = {
            "Show or save what udpix receivers published to Kafka.",
            "",
            "Reads the topic that `udpix serve --kafka B --kafka-topic T` writes (one record per verified item, "
                    + "docs/KAFKA.md) from any number of receivers, and prints one line per record: key (the "
                    + "sender's stream), name, kind, size, sender and receive time. --out saves each item as "
                    + "serve does (a safe version of the sender's name, never replacing a file, JSON appended to "
                    + "DIR/messages.jsonl); --display shows images and frames in a window, one tile per key, so "
                    + "the whole fleet is seen at once. Items larger than the receivers' value limit are records "
                    + "referring to the receiver's file: printed, not fetched.",
            "",
            "Every value is checked against its udpix.size and udpix.sha256 headers: a record that does not "
                    + "match is counted and never saved; a record without the format's headers is counted and "
                    + "skipped; a record whose dedup key was seen among the last 65,536 (a sender's retry "
                    + "published the item twice) is printed but saved once. Stop with Ctrl-C; the last line sums "
                    + "up. Exit code 1 when any record was damaged or malformed, 3 when the broker does not answer "
                    + "or the topic does not exist.",
        },
        sortOptions = false)
public final class ConsumeCommand implements Callable<Integer> {

    private static final long STOP_WAIT_MS = 10_000;
    /** How long the start waits for the broker to answer about the topic. */
    private static final Duration TOPIC_CHECK_WAIT = Duration.ofSeconds(10);

    @ParentCommand
    private UdpixCommand parent;

    @Option(names = "--kafka", required = true, paramLabel = "BOOTSTRAP",
            description = "Kafka's bootstrap servers, host:port[,host:port...] (loopback: localhost:9092).")
    private String bootstrap;

    @Option(names = "--kafka-topic", required = true, paramLabel = "TOPIC",
            description = "The topic the receivers write (serve --kafka-topic).")
    private String topic;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Save each item in DIR (created if needed), as serve --out does. Default: nothing saved.")
    private Path out;

    @Option(names = "--display",
            description = "Show images and frames in a window, the latest of each key in its own tile (at most 16 "
                    + "tiles; a new key takes the place of one quiet for a while). Needs a screen.")
    private boolean display;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Kafka consumer group: offsets are committed once a poll's records are handled, so the "
                    + "next run goes on where this one stopped, and several consumes in one group share the "
                    + "partitions. Default: a new group per run that commits nothing.")
    private String group;

    @Option(names = "--from-beginning",
            description = "Start at the oldest record when the group has no committed offset. Default: only "
                    + "records published from now on.")
    private boolean fromBeginning;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Java properties file of further Kafka consumer settings (security.protocol, "
                    + "ssl.*, sasl.*...); they override udpix's, except the deserializers.")
    private Path kafkaConfig;

    @Option(names = "--max-records", paramLabel = "N", defaultValue = "0",
            description = "Stop after N records. Default: no limit.")
    private long maxRecords;

    @Option(names = "--idle-exit", paramLabel = "DURATION",
            description = "Stop when no record came for this long (e.g. 5s): with --from-beginning, reads what "
                    + "the topic holds and ends. Default: run until stopped.")
    private Duration idleExit;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() {
        ConsumeSettings settings;
        try {
            settings = new ConsumeSettings(bootstrap, topic, group, fromBeginning, kafkaConfig, maxRecords,
                    idleExit);
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage(e.getMessage());
        }
        if (display && !FleetDisplay.available()) {
            throw CliException.badUsage("--display needs a screen (DISPLAY unset or headless); run without it");
        }
        FleetConsumer consumer;
        try {
            consumer = new FleetConsumer(settings, out);
        } catch (IOException e) {
            throw CliException.badUsage(e.getMessage());
        } catch (KafkaException e) {
            throw CliException.cannotBindOrReach("cannot use Kafka at " + bootstrap + ": " + e.getMessage()
                    + "; check --kafka and --kafka-config", e);
        }
        try {
            consumer.checkTopic(TOPIC_CHECK_WAIT);
        } catch (FleetConsumer.UnavailableException e) {
            closeQuietly(consumer);
            throw CliException.cannotBindOrReach(e.getMessage(), e);
        }
        PrintStream lines = parent.out();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = Main.ownsProcess() ? stopHook(consumer, finished) : null;
        FleetConsumer.Tally tally;
        try (FleetDisplay window = display ? FleetDisplay.open("udpix consume: " + topic) : FleetDisplay.none()) {
            if (!output.quiet()) {
                status(lines, "reading " + topic + " from " + bootstrap
                        + (consumer.outDir() == null ? "" : ", saving into " + consumer.outDir()));
            }
            tally = consumer.run(new FleetConsumer.Listener() {
                @Override
                public void record(FleetRecord record, RecordReader.Check check, Path savedAs, boolean duplicate,
                        String saveError) {
                    if (!output.quiet()) {
                        print(lines, record, check, savedAs, duplicate, saveError);
                    }
                    if (check == RecordReader.Check.OK && record.showable()) {
                        window.show(record);
                    }
                    if (saveError != null) {
                        parent.err().println("udpix: could not save " + record + ": " + saveError);
                    }
                }

                @Override
                public void malformed(String reason) {
                    parent.err().println("udpix: skipped a record: " + reason);
                }
            });
        } finally {
            try {
                consumer.close();
            } catch (IOException e) {
                parent.err().println("udpix: closing " + out + ": " + e.getMessage());
            }
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // Already shutting down: the hook is running and waits for `finished` (the summary below).
                }
            }
        }
        try {
            summary(lines, tally);
        } finally {
            finished.countDown();
        }
        return tally.sha256Mismatches() + tally.malformed() > 0 ? ExitCodes.TRANSFER_FAILED : ExitCodes.OK;
    }

    private void closeQuietly(FleetConsumer consumer) {
        try {
            consumer.close();
        } catch (IOException e) {
            parent.err().println("udpix: closing " + out + ": " + e.getMessage());
        }
    }

    /** Ctrl-C or SIGTERM: the consumer stops after the record in hand, the output directory is closed cleanly. */
    private static Thread stopHook(FleetConsumer consumer, CountDownLatch finished) {
        Thread hook = new Thread(() -> {
            consumer.stop();
            try {
                finished.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "udpix-consume-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private void print(PrintStream lines, FleetRecord record, RecordReader.Check check, Path savedAs,
            boolean duplicate, String saveError) {
        String state = switch (check) {
            case OK -> duplicate ? "duplicate" : "ok";
            case REFERENCE -> "reference";
            case SHA256_MISMATCH -> "sha256-mismatch";
        };
        String text;
        if (output.format() == ReportFormat.JSON) {
            JsonObjectLine line = JsonObjectLine.event("record")
                    .put("key", record.key()).put("name", record.name()).put("kind", record.kind())
                    .put("size", record.sizeBytes()).put("sha256", record.sha256Hex())
                    .put("sender", record.sender()).put("port", record.port())
                    .put("received", Instant.ofEpochMilli(record.receivedEpochMs()).toString())
                    .put("dedup", record.dedupKey()).put("state", state)
                    .put("partition", record.partition()).put("offset", record.offset())
                    .put("savedAs", savedAs == null ? null : savedAs.toString()).put("error", saveError);
            if (record.reference()) {
                line.put("reference", new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
            if (record.frameNumber() >= 0) {
                line.put("stream", record.stream()).put("frame", record.frameNumber());
            }
            text = line.text();
        } else {
            StringBuilder line = new StringBuilder(200);
            line.append(state).append(' ').append(record.kind()).append(' ');
            if (!record.name().isEmpty()) {
                line.append(Units.printableName(record.name())).append(' ');
            }
            line.append(record.sizeBytes()).append(" bytes key ").append(Units.printableName(record.key()))
                    .append(" from ").append(Units.printableName(record.sender()))
                    .append(" on port ").append(record.port())
                    .append(" received ").append(Instant.ofEpochMilli(record.receivedEpochMs()));
            if (record.frameNumber() >= 0) {
                line.append(" frame ").append(record.frameNumber());
            }
            if (record.reference()) {
                line.append(" at ").append(Units.printableName(new String(record.value(),
                        java.nio.charset.StandardCharsets.UTF_8)));
            }
            if (savedAs != null) {
                line.append(" -> ").append(Units.printableName(savedAs.toString()));
            }
            text = line.toString();
        }
        synchronized (lines) {
            lines.println(text);
            lines.flush();
        }
    }

    private void status(PrintStream lines, String message) {
        String text = output.format() == ReportFormat.JSON
                ? JsonObjectLine.event("status").put("message", message).text() : message;
        synchronized (lines) {
            lines.println(text);
            lines.flush();
        }
    }

    private void summary(PrintStream lines, FleetConsumer.Tally t) {
        String text = output.format() == ReportFormat.JSON
                ? JsonObjectLine.event("summary").put("records", t.records()).put("saved", t.saved())
                        .put("references", t.references()).put("sha256Mismatches", t.sha256Mismatches())
                        .put("malformed", t.malformed()).put("duplicates", t.duplicates())
                        .put("saveFailures", t.saveFailures()).text()
                : "consumed " + t.records() + " records: " + t.saved() + " saved, " + t.references()
                        + " references, " + t.duplicates() + " duplicates, " + t.sha256Mismatches()
                        + " sha256 mismatches (not saved), " + t.malformed() + " malformed (skipped)"
                        + (t.saveFailures() > 0 ? ", " + t.saveFailures() + " not saved (disk)" : "");
        synchronized (lines) {
            lines.println(text);
            lines.flush();
        }
    }
}
