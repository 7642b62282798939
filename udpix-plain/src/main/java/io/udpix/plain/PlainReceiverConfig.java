package io.udpix.plain;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings and limits of a plain receiver. Build with {@link #builder()}; every field has a safe default.
 *
 * @param headerFormat        layout of length headers (default 8 bytes little-endian)
 * @param maxItemBytes        largest length a header may declare (default 1 GiB)
 * @param replyText           reply to every accepted datagram (default {@code received}); must not start with
 *                            {@code error}, which senders read as a failure
 * @param silenceTimeoutNs    a sender silent this long mid-item loses the partial item (default 10 s)
 * @param maxOpenSenders      senders that may be mid-item at once; beyond it the least recently active loses its
 *                            partial item (default 1024)
 * @param maxPendingBytes     sum of the declared lengths of all open items; a header that would pass it is
 *                            refused, which bounds the disk used by spill files (default max(8 GiB, maxItemBytes))
 * @param memoryPerItemBytes  an item larger than this spills to a file (default 8 MiB)
 * @param memoryTotalBytes    memory for all open items together; past it new growth spills (default 64 MiB)
 * @param spillDirectory      where spill files go (default the JVM's temporary directory)
 * @param maxQueuedItems      completed items waiting for {@link PlainReceiver#pollItem()} (default 64)
 * @param maxQueuedReplies    replies waiting for {@link PlainReceiver#pollReply} (default 1024)
 */
public record PlainReceiverConfig(
        PlainHeaderFormat headerFormat,
        long maxItemBytes,
        String replyText,
        long silenceTimeoutNs,
        int maxOpenSenders,
        long maxPendingBytes,
        int memoryPerItemBytes,
        long memoryTotalBytes,
        Path spillDirectory,
        int maxQueuedItems,
        int maxQueuedReplies) {

    /** Default largest item: 1 GiB. */
    public static final long DEFAULT_MAX_ITEM_BYTES = 1L << 30;
    /** Default reply to every accepted datagram. */
    public static final String DEFAULT_REPLY_TEXT = "received";
    /** Default silence timeout mid-item: 10 s. */
    public static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofSeconds(10);
    /** Largest reply text, in UTF-8 bytes. */
    public static final int MAX_REPLY_TEXT_BYTES = 1024;

    private static final long DEFAULT_MIN_PENDING_BYTES = 8L << 30;

    /** Validates every limit, naming the setting and the fix. */
    public PlainReceiverConfig {
        if (headerFormat == null) {
            throw new IllegalArgumentException("headerFormat is missing; use PlainHeaderFormat.DEFAULT (8le)");
        }
        if (maxItemBytes < 1) {
            throw new IllegalArgumentException("max item size must be at least 1 byte, got " + maxItemBytes);
        }
        if (maxItemBytes > headerFormat.maxLength()) {
            throw new IllegalArgumentException("max item size " + maxItemBytes + " cannot be declared by a "
                    + headerFormat.describe() + " header (at most " + headerFormat.maxLength()
                    + "); lower it or use an 8-byte header format");
        }
        if (replyText == null || replyText.getBytes(StandardCharsets.UTF_8).length > MAX_REPLY_TEXT_BYTES) {
            throw new IllegalArgumentException("reply text must be at most " + MAX_REPLY_TEXT_BYTES + " bytes");
        }
        if (replyText.toLowerCase(Locale.ROOT).startsWith("error")) {
            throw new IllegalArgumentException("reply text '" + replyText + "' starts with 'error', which senders"
                    + " read as a failure; pick another, e.g. 'received'");
        }
        if (silenceTimeoutNs < Duration.ofMillis(1).toNanos() || silenceTimeoutNs > Duration.ofDays(1).toNanos()) {
            throw new IllegalArgumentException("silence timeout must be between 1 ms and 1 day, got "
                    + silenceTimeoutNs + " ns");
        }
        if (maxOpenSenders < 1 || maxOpenSenders > 1_000_000) {
            throw new IllegalArgumentException("max open senders must be 1..1000000, got " + maxOpenSenders);
        }
        if (maxPendingBytes < maxItemBytes) {
            throw new IllegalArgumentException("max pending bytes " + maxPendingBytes
                    + " is below the max item size " + maxItemBytes + "; no item of that size could be received");
        }
        if (memoryPerItemBytes < 1 || memoryPerItemBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("memory per item must be 1.." + (Integer.MAX_VALUE - 8)
                    + " bytes, got " + memoryPerItemBytes);
        }
        if (memoryTotalBytes < 0) {
            throw new IllegalArgumentException("total memory must not be negative, got " + memoryTotalBytes);
        }
        if (spillDirectory == null) {
            throw new IllegalArgumentException("spill directory is missing");
        }
        if (maxQueuedItems < 1 || maxQueuedItems > 1_000_000) {
            throw new IllegalArgumentException("max queued items must be 1..1000000, got " + maxQueuedItems);
        }
        if (maxQueuedReplies < 1 || maxQueuedReplies > 1_000_000) {
            throw new IllegalArgumentException("max queued replies must be 1..1000000, got " + maxQueuedReplies);
        }
    }

    /** All defaults. */
    public static PlainReceiverConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The reply to accepted datagrams, in UTF-8. */
    public byte[] replyBytes() {
        return replyText.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds a {@link PlainReceiverConfig}; unset fields keep their defaults. */
    public static final class Builder {
        private PlainHeaderFormat headerFormat = PlainHeaderFormat.DEFAULT;
        private long maxItemBytes = DEFAULT_MAX_ITEM_BYTES;
        private String replyText = DEFAULT_REPLY_TEXT;
        private long silenceTimeoutNs = DEFAULT_SILENCE_TIMEOUT.toNanos();
        private int maxOpenSenders = 1024;
        private long maxPendingBytes = -1;
        private int memoryPerItemBytes = 8 << 20;
        private long memoryTotalBytes = 64L << 20;
        private Path spillDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private int maxQueuedItems = 64;
        private int maxQueuedReplies = 1024;

        private Builder() {
        }

        /** Layout of length headers. */
        public Builder headerFormat(PlainHeaderFormat v) {
            headerFormat = v;
            return this;
        }

        /** Largest length a header may declare. */
        public Builder maxItemBytes(long v) {
            maxItemBytes = v;
            return this;
        }

        /** Reply to accepted datagrams. */
        public Builder replyText(String v) {
            replyText = v;
            return this;
        }

        /** Silence mid-item after which the partial item is discarded. */
        public Builder silenceTimeout(Duration v) {
            silenceTimeoutNs = v.toNanos();
            return this;
        }

        /** Senders that may be mid-item at once. */
        public Builder maxOpenSenders(int v) {
            maxOpenSenders = v;
            return this;
        }

        /** Sum of declared lengths of all open items (default max(8 GiB, maxItemBytes)). */
        public Builder maxPendingBytes(long v) {
            maxPendingBytes = v;
            return this;
        }

        /** Items larger than this spill to a file. */
        public Builder memoryPerItemBytes(int v) {
            memoryPerItemBytes = v;
            return this;
        }

        /** Memory for all open items together. */
        public Builder memoryTotalBytes(long v) {
            memoryTotalBytes = v;
            return this;
        }

        /** Directory for spill files. */
        public Builder spillDirectory(Path v) {
            spillDirectory = v;
            return this;
        }

        /** Completed items that may wait for the consumer. */
        public Builder maxQueuedItems(int v) {
            maxQueuedItems = v;
            return this;
        }

        /** Replies that may wait for the runner. */
        public Builder maxQueuedReplies(int v) {
            maxQueuedReplies = v;
            return this;
        }

        /** Validates and builds. */
        public PlainReceiverConfig build() {
            long pending = maxPendingBytes >= 0 ? maxPendingBytes : Math.max(DEFAULT_MIN_PENDING_BYTES, maxItemBytes);
            return new PlainReceiverConfig(headerFormat, maxItemBytes, replyText, silenceTimeoutNs, maxOpenSenders,
                    pending, memoryPerItemBytes, memoryTotalBytes, spillDirectory, maxQueuedItems, maxQueuedReplies);
        }
    }
}
