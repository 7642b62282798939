package io.udpix.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udpix.api.ItemKind;
import io.udpix.api.ItemPublisher;
import io.udpix.api.PublishedItem;
import io.udpix.api.PublisherBudget;
import io.udpix.api.PublisherRefusedException;
import io.udpix.api.stream.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes every verified item as one Kafka record (format: docs/KAFKA.md, header names in
 * {@link io.udpix.kafka.RecordHeaders}) with an idempotent producer and {@code acks=all}, so the stage
 * {@link #publish} returns completes only once every in-sync replica has the record: the server then confirms the
 * item to its sender. Values up to {@link KafkaSettings#maxValueBytes()} carry the item's bytes (JSON as its
 * text); a larger item stored in the output directory goes as a JSON reference {@code {"ref","size","sha256"}}.
 *
 * <p>Bounded: items waiting for Kafka's acknowledgement hold room in a {@link PublisherBudget} (items, bytes, a
 * quarter of each per sender address); the producer's {@code buffer.memory} is sized above that room, so
 * {@code send} never waits for memory. A broker that does not answer fails its pending records after
 * {@code delivery.timeout.ms} (default 30 s), their senders get {@code SERVER_BUSY}, and meanwhile new items are
 * refused once the room is full. Records are built (a stored file read) and handed to the producer on one thread
 * of its own, never the server's I/O threads.
 */
public final class KafkaItemPublisher implements ItemPublisher {
    private static final System.Logger LOG = System.getLogger(KafkaItemPublisher.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Frames waiting to be handed to the producer at most; beyond, a frame is skipped (counted). */
    static final int MAX_PENDING_FRAMES = 64;
    /**
     * How long {@code send} may wait for the topic's metadata (the brokers gone since the last refresh): on the
     * publisher thread, never an I/O thread; after such a wait Kafka counts as unreachable for as long again.
     */
    static final long MAX_BLOCK_MS = 5_000;

    private final KafkaSettings settings;
    private final KafkaProducer<byte[], byte[]> producer;
    private final PublisherBudget budget;
    private final ThreadPoolExecutor sender;
    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong framesPublished = new AtomicLong();
    private final AtomicLong framesSkipped = new AtomicLong();
    private volatile boolean closed;
    /**
     * Until when (System.nanoTime) Kafka counts as unreachable: a send waited {@code max.block.ms} for the topic's
     * metadata and got none. Meanwhile queued items fail at once and new ones are refused, instead of each
     * waiting {@code max.block.ms} in turn on the one publisher thread.
     */
    private volatile long unreachableUntilNs;
    private volatile boolean unreachable;

    private KafkaItemPublisher(KafkaSettings settings, KafkaProducer<byte[], byte[]> producer) {
        this.settings = settings;
        this.producer = producer;
        this.budget = new PublisherBudget("Kafka", settings.maxPendingItems(), settings.maxPendingBytes());
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                // Room for every item the budget admits plus the frames: publish never finds it full.
                new ArrayBlockingQueue<>(settings.maxPendingItems() + MAX_PENDING_FRAMES), task -> {
                    Thread t = new Thread(task, "udpix-kafka-publish");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Connects to the brokers and checks the topic (through {@link KafkaTopicCheck}), then makes the producer.
     *
     * @throws KafkaStartException naming the cause and the fix: no broker answered, the topic does not exist...
     */
    public static KafkaItemPublisher start(KafkaSettings settings) throws KafkaStartException {
        KafkaTopicCheck.check(settings);
        return new KafkaItemPublisher(settings, new KafkaProducer<>(producerProperties(settings)));
    }

    /** The producer's configuration: the user's file first, then what the guarantees need (not overridable). */
    static Properties producerProperties(KafkaSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.extraProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Confirmed = on every in-sync replica, and a retried send never writes a second copy (KIP-98).
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"); // the most idempotence keeps in order
        long deliveryMs = settings.deliveryTimeout().toMillis();
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms (the producer refuses to start otherwise).
        long lingerMs = Long.parseLong(String.valueOf(p.get(ProducerConfig.LINGER_MS_CONFIG)));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1_000,
                Math.min(30_000, deliveryMs / 3))));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(deliveryMs,
                lingerMs + Math.max(1_000, Math.min(30_000, deliveryMs / 3)))));
        // Room for every admitted item twice over (headers, batching): send() never blocks for memory; and if it
        // ever had to wait for metadata, not for long (the publisher thread, not an I/O thread, would wait).
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(2 * settings.maxPendingBytes()
                + 2L * settings.maxValueBytes() + (4L << 20)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(MAX_BLOCK_MS));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(settings.maxValueBytes() + (64 << 10)));
        return p;
    }

    @Override
    public Reservation reserve(InetSocketAddress sender, ItemKind kind, long sizeBytes)
            throws PublisherRefusedException {
        if (closed) {
            throw new PublisherRefusedException("the receiver's Kafka publisher is closing; try again later", true);
        }
        if (unreachable()) {
            throw new PublisherRefusedException("the receiver cannot reach Kafka at " + settings.bootstrapServers()
                    + " (no metadata for topic '" + settings.topic() + "' within " + MAX_BLOCK_MS + " ms); "
                    + "try again later", true);
        }
        if (sizeBytes > settings.maxValueBytes()) {
            if (kind == ItemKind.JSON) {
                throw new PublisherRefusedException("a JSON message of " + sizeBytes + " bytes exceeds the "
                        + "receiver's Kafka value limit of " + settings.maxValueBytes() + " bytes (--kafka-max-value); "
                        + "send it as a file", false);
            }
            if (!settings.referencesAllowed()) {
                throw new PublisherRefusedException("an item of " + sizeBytes + " bytes exceeds the receiver's Kafka "
                        + "value limit of " + settings.maxValueBytes() + " bytes (--kafka-max-value) and the receiver "
                        + "has no output directory (--out) to store it and publish a reference; send smaller items "
                        + "or ask its operator to add --out", false);
            }
        }
        // A reference takes a few dozen bytes of Kafka's room, the file stays on disk.
        return budget.reserve(sender, Math.min(sizeBytes, settings.maxValueBytes()));
    }

    @Override
    public CompletionStage<Void> publish(Reservation reservation, PublishedItem item) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ok, failure) -> reservation.release());
        try {
            sender.execute(() -> send(item, done));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IOException("the Kafka publisher is closed", e));
        }
        return done;
    }

    /** On the publisher thread: builds the record and hands it to the producer. */
    private void send(PublishedItem item, CompletableFuture<Void> done) {
        if (unreachable()) {
            failed.incrementAndGet();
            done.completeExceptionally(new IOException("Kafka at " + settings.bootstrapServers()
                    + " is unreachable (no metadata for topic '" + settings.topic() + "')"));
            return;
        }
        try {
            ProducerRecord<byte[], byte[]> record = record(item);
            producer.send(record, (metadata, exception) -> {
                if (exception == null) {
                    acknowledged.incrementAndGet();
                    done.complete(null);
                } else {
                    failed.incrementAndGet();
                    done.completeExceptionally(new IOException("Kafka did not acknowledge the record: "
                            + exception.getMessage(), exception));
                }
            });
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // send() waited max.block.ms for metadata: the brokers are gone or the topic is.
            unreachableUntilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_BLOCK_MS);
            unreachable = true;
            failed.incrementAndGet();
            done.completeExceptionally(new IOException("Kafka did not answer: " + e.getMessage(), e));
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            done.completeExceptionally(e);
        }
    }

    /** Whether a recent send found Kafka unreachable (see {@link #unreachableUntilNs}). */
    private boolean unreachable() {
        if (unreachable && System.nanoTime() - unreachableUntilNs >= 0) {
            unreachable = false; // the next item tries again
        }
        return unreachable;
    }

    /** The record of {@code item} (docs/KAFKA.md). */
    ProducerRecord<byte[], byte[]> record(PublishedItem item) throws IOException {
        RecordHeaders headers = new RecordHeaders();
        add(headers, io.udpix.kafka.RecordHeaders.NAME, item.name());
        add(headers, io.udpix.kafka.RecordHeaders.KIND, kindText(item.kind()));
        add(headers, io.udpix.kafka.RecordHeaders.SIZE, Long.toString(item.sizeBytes()));
        add(headers, io.udpix.kafka.RecordHeaders.SHA256, item.sha256Hex());
        add(headers, io.udpix.kafka.RecordHeaders.SENDER, item.senderText());
        add(headers, io.udpix.kafka.RecordHeaders.PORT, Integer.toString(item.port()));
        add(headers, io.udpix.kafka.RecordHeaders.RECEIVED, Long.toString(item.receivedAt().toEpochMilli()));
        add(headers, io.udpix.kafka.RecordHeaders.DEDUP, item.dedupKey());
        add(headers, io.udpix.kafka.RecordHeaders.MEDIA_TYPE, item.mediaType());
        for (java.util.Map.Entry<String, String> e : item.meta().entrySet()) {
            add(headers, io.udpix.kafka.RecordHeaders.META_PREFIX + e.getKey(), e.getValue());
        }
        byte[] value;
        if (item.sizeBytes() <= settings.maxValueBytes()) {
            value = item.bytes() != null ? item.bytes() : Files.readAllBytes(item.path());
        } else {
            if (item.storedName() == null) {
                throw new IOException("an item of " + item.sizeBytes() + " bytes exceeds --kafka-max-value and was "
                        + "not stored in an output directory, so no reference can be published");
            }
            ObjectNode ref = JSON.createObjectNode();
            ref.put("ref", item.storedName());
            ref.put("size", item.sizeBytes());
            ref.put("sha256", item.sha256Hex());
            value = JSON.writeValueAsBytes(ref);
            add(headers, io.udpix.kafka.RecordHeaders.REF, "1");
        }
        return new ProducerRecord<>(settings.topic(), null, utf8(item.streamKey()), value, headers);
    }

    /**
     * Publishes the frames {@link KafkaSettings#frames()} picks, best effort: never waits, skips (and counts) a
     * frame while {@link #MAX_PENDING_FRAMES} wait for the producer or when it is larger than the value limit.
     */
    @Override
    public void offerFrame(Frame frame) {
        if (closed || !settings.frames().publishes(frame.frameNumber())) {
            return;
        }
        if (frame.bytes().length > settings.maxValueBytes() || pendingFrames.incrementAndGet() > MAX_PENDING_FRAMES) {
            if (frame.bytes().length <= settings.maxValueBytes()) {
                pendingFrames.decrementAndGet();
            }
            framesSkipped.incrementAndGet();
            return;
        }
        long receivedMs = System.currentTimeMillis();
        try {
            sender.execute(() -> sendFrame(frame, receivedMs));
        } catch (RejectedExecutionException e) {
            pendingFrames.decrementAndGet();
            framesSkipped.incrementAndGet();
        }
    }

    private void sendFrame(Frame frame, long receivedMs) {
        try {
            String sha256 = sha256Hex(frame.bytes());
            String key = frame.streamName().isBlank() ? PublishedItem.defaultStreamKey(frame.localPort(),
                    frame.peer()) : frame.streamName();
            RecordHeaders headers = new RecordHeaders();
            add(headers, io.udpix.kafka.RecordHeaders.NAME, "frame-" + frame.frameNumber() + extension(frame));
            add(headers, io.udpix.kafka.RecordHeaders.KIND, "frame");
            add(headers, io.udpix.kafka.RecordHeaders.SIZE, Integer.toString(frame.bytes().length));
            add(headers, io.udpix.kafka.RecordHeaders.SHA256, sha256);
            add(headers, io.udpix.kafka.RecordHeaders.SENDER, senderText(frame.peer()));
            add(headers, io.udpix.kafka.RecordHeaders.PORT, Integer.toString(frame.localPort()));
            add(headers, io.udpix.kafka.RecordHeaders.RECEIVED, Long.toString(receivedMs));
            add(headers, io.udpix.kafka.RecordHeaders.DEDUP, frame.streamKey() + "#" + frame.frameNumber() + ":"
                    + sha256);
            add(headers, io.udpix.kafka.RecordHeaders.STREAM, frame.streamKey());
            add(headers, io.udpix.kafka.RecordHeaders.FRAME, Long.toString(frame.frameNumber()));
            producer.send(new ProducerRecord<>(settings.topic(), null, utf8(key), frame.bytes(), headers),
                    (metadata, exception) -> {
                        if (exception == null) {
                            framesPublished.incrementAndGet();
                        } else {
                            framesSkipped.incrementAndGet();
                        }
                    });
        } catch (RuntimeException e) {
            framesSkipped.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, "frame not published: " + e);
        } finally {
            pendingFrames.decrementAndGet();
        }
    }

    private static String extension(Frame frame) {
        String codec = String.valueOf(frame.codec()).toLowerCase(java.util.Locale.ROOT);
        return codec.contains("jpeg") || codec.contains("jpg") ? ".jpg" : codec.contains("png") ? ".png" : ".bin";
    }

    private static String senderText(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The header value of a kind: bytes items are files to a consumer. */
    static String kindText(ItemKind kind) {
        switch (kind) {
            case IMAGE:
                return "image";
            case JSON:
                return "json";
            default:
                return "file";
        }
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, utf8(value == null ? "" : value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The room items hold while they wait for Kafka (tests, figures). */
    public PublisherBudget budget() {
        return budget;
    }

    /** Item records Kafka acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Item records that failed (not acknowledged within the delivery timeout, or could not be built). */
    public long failed() {
        return failed.get();
    }

    /** Frame records acknowledged so far. */
    public long framesPublished() {
        return framesPublished.get();
    }

    /** Frames skipped: the producer was behind, the frame too large, or Kafka failed it. */
    public long framesSkipped() {
        return framesSkipped.get();
    }

    /** The settings it runs with. */
    public KafkaSettings settings() {
        return settings;
    }

    /**
     * Stops taking items, hands what is queued to the producer and gives Kafka up to 5 s to acknowledge it;
     * records still pending then fail (their senders were not confirmed).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
