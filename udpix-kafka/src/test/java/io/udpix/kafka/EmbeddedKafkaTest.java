package io.udpix.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void startsABrokerThatTakesRecordsAndGivesThemBackAcrossARestart() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            assertThat(kafka.bootstrapServers()).startsWith("localhost:").doesNotContain(",");
            kafka.createTopic("fixture", 2);
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                producer.send(record("before")).get(30, TimeUnit.SECONDS);
            }
            kafka.restartBroker();
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                producer.send(record("after")).get(30, TimeUnit.SECONDS);
            }

            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("fixture");

            assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("before", "after");
            assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsOnly("same-key");
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String value) {
        return new ProducerRecord<>("fixture", "same-key".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
