package io.udpix.kafka.consume;

import static io.udpix.kafka.RecordHeaders.DEDUP;
import static io.udpix.kafka.RecordHeaders.FRAME;
import static io.udpix.kafka.RecordHeaders.KIND;
import static io.udpix.kafka.RecordHeaders.NAME;
import static io.udpix.kafka.RecordHeaders.PORT;
import static io.udpix.kafka.RecordHeaders.RECEIVED;
import static io.udpix.kafka.RecordHeaders.REF;
import static io.udpix.kafka.RecordHeaders.SENDER;
import static io.udpix.kafka.RecordHeaders.SHA256;
import static io.udpix.kafka.RecordHeaders.SIZE;
import static io.udpix.kafka.RecordHeaders.STREAM;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads records of the format {@code udpix serve --kafka} writes (docs/KAFKA.md, header names in
 * {@link io.udpix.kafka.RecordHeaders}) and checks their values against
 * their headers. Nothing in a record is trusted: anyone who can write to the topic can put anything there, so a
 * missing or malformed header makes a {@link MalformedRecordException} naming it, and a value whose SHA-256 or size
 * differs from the headers is {@link Check#SHA256_MISMATCH} (its bytes must not be saved).
 */
public final class RecordReader {

    /** A header longer than this is malformed: names are at most a few hundred bytes on the wire. */
    static final int MAX_HEADER_BYTES = 4_096;

    /** What {@link #check} found. */
    public enum Check {
        /** The value's size and SHA-256 equal the headers'. */
        OK,
        /** The value is a reference to a file on a receiver: not fetched, so not checked. */
        REFERENCE,
        /** The value's size or SHA-256 differs from the headers': a damaged or forged record. */
        SHA256_MISMATCH
    }

    private RecordReader() {
    }

    /**
     * The record's fields.
     *
     * @throws MalformedRecordException when a required header is missing or not what the format says
     */
    public static FleetRecord read(ConsumerRecord<byte[], byte[]> record) throws MalformedRecordException {
        Headers headers = record.headers();
        String where = " (partition " + record.partition() + " offset " + record.offset() + ")";
        if (record.key() == null) {
            throw new MalformedRecordException("record without a key" + where);
        }
        if (record.value() == null) {
            throw new MalformedRecordException("record without a value" + where);
        }
        String kind = text(headers, KIND, where);
        if (!FleetRecord.KINDS.contains(kind)) {
            throw new MalformedRecordException("header " + KIND + " is '" + printable(kind)
                    + "', not one of file, image, json, frame" + where);
        }
        String sha256 = text(headers, SHA256, where);
        if (!isSha256Hex(sha256)) {
            throw new MalformedRecordException("header " + SHA256 + " is not 64 lower-case hex digits" + where);
        }
        boolean reference = "1".equals(optionalText(headers, REF, where));
        String stream = optionalText(headers, STREAM, where);
        String frame = optionalText(headers, FRAME, where);
        return new FleetRecord(new String(record.key(), StandardCharsets.UTF_8), text(headers, NAME, where), kind,
                number(headers, SIZE, where), sha256, text(headers, SENDER, where),
                (int) Math.min(65_535, number(headers, PORT, where)), number(headers, RECEIVED, where),
                text(headers, DEDUP, where), reference, stream,
                frame == null ? -1 : parse(FRAME, frame, where), record.value(), record.partition(),
                record.offset());
    }

    /** Checks {@code record}'s value against its size and SHA-256 headers (references are not fetched). */
    public static Check check(FleetRecord record) {
        if (record.reference()) {
            return Check.REFERENCE;
        }
        if (record.value().length != record.sizeBytes()) {
            return Check.SHA256_MISMATCH;
        }
        return sha256Hex(record.value()).equals(record.sha256Hex()) ? Check.OK : Check.SHA256_MISMATCH;
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 (every Java SE JVM must have it)", e);
        }
    }

    private static boolean isSha256Hex(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String text(Headers headers, String name, String where) throws MalformedRecordException {
        String value = optionalText(headers, name, where);
        if (value == null) {
            throw new MalformedRecordException("record without header " + name + where
                    + "; is this topic written by `udpix serve --kafka`?");
        }
        return value;
    }

    private static String optionalText(Headers headers, String name, String where) throws MalformedRecordException {
        // The last one counts, as for Kafka's own lastHeader; a record may carry a name only once in our format.
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        if (header.value().length > MAX_HEADER_BYTES) {
            throw new MalformedRecordException("header " + name + " is " + header.value().length
                    + " bytes, more than " + MAX_HEADER_BYTES + where);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String name, String where) throws MalformedRecordException {
        return parse(name, text(headers, name, where), where);
    }

    private static long parse(String name, String text, String where) throws MalformedRecordException {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedRecordException("header " + name + " is '" + printable(text)
                    + "', not a decimal number >= 0" + where);
        }
    }

    /** At most 40 characters, controls replaced, for error messages about hostile headers. */
    static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
