package io.udpix.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How a {@link KafkaItemPublisher} publishes ({@code udpix serve --kafka ...}).
 *
 * @param bootstrapServers  {@code host:port[,host:port...]}
 * @param topic             the topic every record goes to (it must exist: see docs/KAFKA.md)
 * @param extraProperties   producer properties from {@code --kafka-config} (TLS, SASL...); acks, idempotence and
 *                          the sizes below are set by the publisher and cannot be overridden
 * @param maxValueBytes     larger items are published as a reference to their stored file (default 960 KiB, so a
 *                          record stays under the broker's default {@code message.max.bytes} of 1 MiB)
 * @param referencesAllowed whether the server stores items in an output directory, so large ones can be referenced
 * @param frames            which stream frames become records
 * @param maxPendingItems   items holding room (announced, not yet acknowledged by Kafka) at most
 * @param maxPendingBytes   bytes of values holding room at most
 * @param deliveryTimeout   a record Kafka has not acknowledged by then fails (its sender gets SERVER_BUSY)
 */
public record KafkaSettings(String bootstrapServers, String topic, Map<String, String> extraProperties,
        long maxValueBytes, boolean referencesAllowed, FramePolicy frames, int maxPendingItems, long maxPendingBytes,
        Duration deliveryTimeout) {
    /**
     * Default value limit: 960 KiB. The broker's default {@code message.max.bytes} (1 MiB + 12 bytes) counts the
     * whole record batch, so a 1 MiB value with its headers was refused ("message larger than the max message
     * size", KafkaItemPublisherTest); 64 KiB is left for headers and batch overhead.
     */
    public static final long DEFAULT_MAX_VALUE_BYTES = (1L << 20) - (64L << 10);
    /** Default bound on items holding room. */
    public static final int DEFAULT_MAX_PENDING_ITEMS = 10_000;
    /** Default bound on bytes holding room. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    /** Default delivery timeout: Kafka's own default (delivery.timeout.ms = 120 s) is too long for a sender. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    /** Checks the values. */
    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        extraProperties = Map.copyOf(extraProperties);
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--kafka needs host:port of at least one broker");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("--kafka-topic needs a topic name");
        }
        if (maxValueBytes < 1 || maxValueBytes > (64L << 20)) {
            throw new IllegalArgumentException("--kafka-max-value must be 1 B..64 MiB, was " + maxValueBytes);
        }
        if (maxPendingItems < 4 || maxPendingBytes < 4 * maxValueBytes) {
            throw new IllegalArgumentException("the Kafka buffer needs room for at least 4 items of --kafka-max-value ("
                    + maxPendingItems + " items, " + maxPendingBytes + " bytes, values up to " + maxValueBytes + ")");
        }
        if (deliveryTimeout.toMillis() < 1_000) {
            throw new IllegalArgumentException("the Kafka delivery timeout must be at least 1 s, was "
                    + deliveryTimeout);
        }
    }

    /** The defaults for {@code bootstrapServers} and {@code topic}: 1 MiB values, every 30th frame, 30 s. */
    public static KafkaSettings of(String bootstrapServers, String topic) {
        return new KafkaSettings(bootstrapServers, topic, Map.of(), DEFAULT_MAX_VALUE_BYTES, false,
                FramePolicy.DEFAULT, DEFAULT_MAX_PENDING_ITEMS, DEFAULT_MAX_PENDING_BYTES, DEFAULT_DELIVERY_TIMEOUT);
    }

    /** These settings with producer properties (read from a {@code --kafka-config} file). */
    public KafkaSettings withExtraProperties(Properties properties) {
        Map<String, String> map = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return new KafkaSettings(bootstrapServers, topic, map, maxValueBytes, referencesAllowed, frames,
                maxPendingItems, maxPendingBytes, deliveryTimeout);
    }

    /** These settings with another value limit. */
    public KafkaSettings withMaxValueBytes(long bytes) {
        return new KafkaSettings(bootstrapServers, topic, extraProperties, bytes, referencesAllowed, frames,
                maxPendingItems, Math.max(maxPendingBytes, 4 * bytes), deliveryTimeout);
    }

    /** These settings, told whether large items are stored (an output directory) and may be referenced. */
    public KafkaSettings withReferences(boolean allowed) {
        return new KafkaSettings(bootstrapServers, topic, extraProperties, maxValueBytes, allowed, frames,
                maxPendingItems, maxPendingBytes, deliveryTimeout);
    }

    /** These settings with another frame policy. */
    public KafkaSettings withFrames(FramePolicy policy) {
        return new KafkaSettings(bootstrapServers, topic, extraProperties, maxValueBytes, referencesAllowed, policy,
                maxPendingItems, maxPendingBytes, deliveryTimeout);
    }

    /** These settings with another buffer size. */
    public KafkaSettings withBuffer(int items, long bytes) {
        return new KafkaSettings(bootstrapServers, topic, extraProperties, maxValueBytes, referencesAllowed, frames,
                items, bytes, deliveryTimeout);
    }

    /** These settings with another delivery timeout. */
    public KafkaSettings withDeliveryTimeout(Duration timeout) {
        return new KafkaSettings(bootstrapServers, topic, extraProperties, maxValueBytes, referencesAllowed, frames,
                maxPendingItems, maxPendingBytes, timeout);
    }
}
