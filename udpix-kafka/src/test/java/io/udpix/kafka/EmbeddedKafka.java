package io.udpix.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM for tests: KRaft, one node that is both controller and broker, listeners on
 * free loopback ports chosen by Kafka's test kit ({@link KafkaClusterTestKit}), log directories in a temporary
 * folder deleted on {@link #close()}. Nothing is mocked: producers and consumers talk to it over TCP.
 *
 * <p>{@link #stopBroker()} and {@link #startBroker()} stop and restart only the broker (the controller keeps the
 * metadata), on the same port, so a producer's connection fails and later comes back as it would with a real
 * broker that died and restarted. Shared with other modules' tests through this module's test jar.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** How long start-up, topic creation and reads wait before a test fails instead of hanging. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
        Map<String, Object> adminConfig = new HashMap<>();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Quick to notice a stopped broker, so a helper call fails within WAIT rather than retrying for minutes.
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.admin = Admin.create(adminConfig);
    }

    /** Starts a one-node KRaft cluster (combined controller and broker) and waits until the broker is ready. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a one-node KRaft cluster with extra broker properties (e.g. {@code message.max.bytes}) and waits
     * until the broker is ready.
     */
    public static EmbeddedKafka start(Map<String, String> brokerProperties) {
        KafkaClusterTestKit cluster = null;
        try {
            Path baseDirectory = Files.createTempDirectory("udpix-kafka-");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDirectory)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    // One broker: internal topics cannot have more replicas than that.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setDeleteOnClose(true);
            brokerProperties.forEach(builder::setConfigProp);
            cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("could not start the in-process Kafka broker: " + e, e);
        }
    }

    /**
     * Formats the log directories. Kafka's formatter prints two lines of bootstrap metadata to System.out (not
     * through a logger), once per broker start: they are swallowed here so test output stays readable. Tests
     * run one at a time in a surefire JVM, so nothing else is writing to System.out meanwhile.
     */
    private static synchronized void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            cluster.format();
        } finally {
            System.setOut(out);
        }
    }

    /** The broker's address list for {@code bootstrap.servers} (loopback, the port the test kit chose). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The admin client of this cluster (closed by {@link #close()}); do not close it. */
    public Admin admin() {
        return admin;
    }

    /** Creates a topic with one replica and waits until it exists. */
    public void createTopic(String topic, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + topic + ": " + e, e);
        }
    }

    /** Stops the broker (the controller keeps running): producers lose their connection and cannot deliver. */
    public void stopBroker() {
        BrokerServer broker = broker();
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts the broker stopped by {@link #stopBroker()} again on the same port and waits until it is ready. */
    public void startBroker() {
        broker().startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the broker did not come back: " + e, e);
        }
    }

    /** Stops and starts the broker. */
    public void restartBroker() {
        stopBroker();
        startBroker();
    }

    private BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** A producer of byte-array keys and values to this broker (the caller closes it). */
    /** Produces {@code records} in order with acks=all, each acknowledged before the next (tests' fixtures). */
    @SafeVarargs
    public final void produceAll(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>... records)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all"))) {
            for (org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.putAll(overrides);
        return new KafkaProducer<>(properties);
    }

    /**
     * Every record of {@code topic}, from the first offset to the end offsets at the time of the call, partitions
     * one after another (each in offset order). Reads by assignment, without a consumer group.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, WAIT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, WAIT);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
            long deadlineNs = System.nanoTime() + WAIT.toNanos();
            while (!reached(consumer, endOffsets)) {
                if (System.nanoTime() > deadlineNs) {
                    throw new IllegalStateException("reading " + topic + " did not reach the end offsets "
                            + endOffsets + " within " + WAIT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < endOffsets.get(partition)) {
                        byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                records.addAll(byPartition.getOrDefault(partition, List.of()));
            }
            return records;
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey(), WAIT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Stops the broker and controller and deletes their log directories. Idempotent. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            cluster.close();
        }
    }
}
