package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.kafka.EmbeddedKafka;
import io.udpix.kafka.load.TopicAudit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's load test, sized for CI: 3 {@code udpix serve --kafka} processes, one broker (in this JVM), 1,000
 * simulated clients sending 10 small images each from 2 client JVMs, on loopback. Every item a sender counted as
 * sent (its receiver confirmed it) must be in the topic; an item not confirmed is never counted as sent.
 */
class FleetLoadTest {

    private static final int RECEIVERS = 3;
    private static final int CLIENT_JVMS = 2;
    private static final int CLIENTS = 1_000;
    private static final int ITEMS = 10;
    private static final int CONCURRENCY_PER_JVM = 32;
    private static final int IMAGE_BYTES = 4_096;
    private static final long SEED = Long.getLong("udpix.seed", 14L);

    @TempDir
    Path work;

    @Test
    void everyItemConfirmedByAnyOfThreeReceiversIsInTheTopicAndNothingUnconfirmedCountsAsSent() throws Exception {
        String topic = "fleet";
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic(topic, 3);
            List<FleetRun.ClientJvm> jvms;
            try (FleetRun fleet = FleetRun.start(work, RECEIVERS, kafka.bootstrapServers(), topic)) {
                jvms = fleet.load(CLIENT_JVMS, CLIENTS, ITEMS, CONCURRENCY_PER_JVM, IMAGE_BYTES, SEED,
                        Duration.ofMinutes(4));
            }
            long confirmed = 0;
            long attempted = 0;
            List<Path> files = new ArrayList<>();
            for (FleetRun.ClientJvm jvm : jvms) {
                String why = "seed=" + SEED + " (re-run with -Dudpix.seed=" + SEED + ")\n" + jvm.transcript();
                assertThat(jvm.summary()).as(why).containsKeys("attempted", "confirmed", "failed");
                // Counted as sent = confirmed by the receiver: the file lists exactly those, and with the failed
                // ones they make every attempt (nothing is in between).
                assertThat(FleetRun.lines(jvm.confirmed())).as(why).isEqualTo(jvm.value("confirmed"));
                assertThat(jvm.value("confirmed") + jvm.value("failed")).as(why).isEqualTo(jvm.value("attempted"));
                // On an unloaded loopback the buffer never fills: every item goes through.
                assertThat(jvm.value("failed")).as(why).isZero();
                confirmed += jvm.value("confirmed");
                attempted += jvm.value("attempted");
                files.add(jvm.confirmed());
                System.out.println("fleet load (with Kafka), client JVM: " + jvm.summary());
            }
            assertThat(attempted).isEqualTo((long) CLIENTS * ITEMS);

            TopicAudit.Audit audit = TopicAudit.audit(kafka.bootstrapServers(), topic,
                    TopicAudit.confirmedSha256(files), Duration.ofSeconds(60));

            System.out.println("fleet load (with Kafka): " + audit.summary());
            assertThat(audit.confirmed()).isEqualTo(confirmed);
            assertThat(audit.missing()).as(audit.summary()).isZero();
            // No receiver restarted and no sender retried: each item is in the topic once.
            assertThat(audit.duplicates()).as(audit.summary()).isZero();
            assertThat(audit.records()).as(audit.summary()).isEqualTo(confirmed + audit.unconfirmed());
        }
    }
}
