package io.udpix.kafka.consume;

import io.udpix.kafka.RecordHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records in the format of docs/KAFKA.md, built by hand as a receiver would write them, so the consumer side can be
 * tested against the real broker without a receiver (and with what no honest receiver writes: bad hashes).
 */
public final class FormatRecords {

    private FormatRecords() {
    }

    /** An item record whose headers match {@code value}. */
    public static ProducerRecord<byte[], byte[]> item(String topic, String key, String name, String kind, byte[] value,
            int transferId) {
        return item(topic, key, name, kind, value, RecordReader.sha256Hex(value), transferId);
    }

    /** An item record claiming {@code sha256Hex} for {@code value} (a damaged or forged one when they differ). */
    public static ProducerRecord<byte[], byte[]> item(String topic, String key, String name, String kind, byte[] value,
            String sha256Hex, int transferId) {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        add(headers, RecordHeaders.NAME, name);
        add(headers, RecordHeaders.KIND, kind);
        add(headers, RecordHeaders.SIZE, Integer.toString(value.length));
        add(headers, RecordHeaders.SHA256, sha256Hex);
        add(headers, RecordHeaders.SENDER, "127.0.0.1:50123");
        add(headers, RecordHeaders.PORT, "9000");
        add(headers, RecordHeaders.RECEIVED, Long.toString(1_790_000_000_000L + transferId));
        add(headers, RecordHeaders.DEDUP, transferId + ":" + sha256Hex);
        return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers);
    }

    /** A reference record: a large item stored on the receiver at {@code path}. */
    public static ProducerRecord<byte[], byte[]> reference(String topic, String key, String name, String path,
            long size, String sha256Hex, int transferId) {
        byte[] json = ("{\"ref\":\"" + path + "\",\"size\":" + size + ",\"sha256\":\"" + sha256Hex + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        add(headers, RecordHeaders.NAME, name);
        add(headers, RecordHeaders.KIND, "image");
        add(headers, RecordHeaders.SIZE, Long.toString(size));
        add(headers, RecordHeaders.SHA256, sha256Hex);
        add(headers, RecordHeaders.SENDER, "127.0.0.1:50123");
        add(headers, RecordHeaders.PORT, "9000");
        add(headers, RecordHeaders.RECEIVED, "1790000000000");
        add(headers, RecordHeaders.DEDUP, transferId + ":" + sha256Hex);
        add(headers, RecordHeaders.REF, "1");
        return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), json, headers);
    }

    private static void add(org.apache.kafka.common.header.internals.RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
