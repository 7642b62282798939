package io.udpix.kafka.consume;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

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
        RecordHeaders headers = new RecordHeaders();
        add(headers, RecordReader.NAME, name);
        add(headers, RecordReader.KIND, kind);
        add(headers, RecordReader.SIZE, Integer.toString(value.length));
        add(headers, RecordReader.SHA256, sha256Hex);
        add(headers, RecordReader.SENDER, "127.0.0.1:50123");
        add(headers, RecordReader.PORT, "9000");
        add(headers, RecordReader.RECEIVED, Long.toString(1_790_000_000_000L + transferId));
        add(headers, RecordReader.DEDUP, transferId + ":" + sha256Hex);
        return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers);
    }

    /** A reference record: a large item stored on the receiver at {@code path}. */
    public static ProducerRecord<byte[], byte[]> reference(String topic, String key, String name, String path, long size,
            String sha256Hex, int transferId) {
        byte[] json = ("{\"ref\":\"" + path + "\",\"size\":" + size + ",\"sha256\":\"" + sha256Hex + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        add(headers, RecordReader.NAME, name);
        add(headers, RecordReader.KIND, "image");
        add(headers, RecordReader.SIZE, Long.toString(size));
        add(headers, RecordReader.SHA256, sha256Hex);
        add(headers, RecordReader.SENDER, "127.0.0.1:50123");
        add(headers, RecordReader.PORT, "9000");
        add(headers, RecordReader.RECEIVED, "1790000000000");
        add(headers, RecordReader.DEDUP, transferId + ":" + sha256Hex);
        add(headers, RecordReader.REF, "1");
        return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), json, headers);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
