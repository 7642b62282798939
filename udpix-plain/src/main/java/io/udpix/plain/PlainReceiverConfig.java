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
 *                            refused, which bounds the disk used by spill files (default max(8 GiB, 4 x
 *                            maxItemBytes), so four addresses' shares of a max-size item fit)
 * @param memoryPerItemBytes  an item larger than this spills to a file (default 8 MiB); items up to this size are
 *                            "small" and may also use the small-item reserve
 * @param memoryTotalBytes    memory for all open items together; past it new growth spills (default 64 MiB); one
 *                            address may hold a quarter of it
 * @param spillDirectory      where spill files go, or null for none (then an item that does not fit in memory is
 *                            discarded); default null: never the JVM's temporary directory, see
 *                            {@link PlainSpillDirectory#prepare}
 * @param maxQueuedItems      completed items waiting for {@link PlainReceiver#pollItem()} (default 64)
 * @param maxQueuedReplies    replies waiting for {@link PlainReceiver#pollReply} (default 1024)
 * @param maxPendingBytesPerAddress declared bytes that one sender address (all its ports) may have open; a
 *                            header past it is refused as busy (default max(maxItemBytes, maxPendingBytes / 4))
 * @param maxOpenItemsPerAddress items that one sender address (all its ports) may have open (default a quarter
 *                            of maxOpenSenders)
 * @param smallItemReserveBytes part of maxPendingBytes that only small items (at most memoryPerItemBytes) may
 *                            use, so large claims cannot lock small senders out (default min(maxPendingBytes / 8,
 *                            maxPendingBytes - maxItemBytes))
 * @param logLinesPerInterval refusals logged one line each per reason and interval; the rest are summed up in one
 *                            line per interval (default 5)
 * @param logIntervalNs       the interval of the refusal log (default 10 s)
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
        int maxQueuedReplies,
        long maxPendingBytesPerAddress,
        int maxOpenItemsPerAddress,
        long smallItemReserveBytes,
        int logLinesPerInterval,
        long logIntervalNs) {

    /** Default largest item: 1 GiB. */
    public static final long DEFAULT_MAX_ITEM_BYTES = 1L << 30;
    /** Default reply to every accepted datagram. */
    public static final String DEFAULT_REPLY_TEXT = "received";
    /** Default silence timeout mid-item: 10 s. */
    public static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofSeconds(10);
    /** Largest reply text, in UTF-8 bytes. */
    public static final int MAX_REPLY_TEXT_BYTES = 1024;

    /** Default refusals logged one line each, per reason and interval. */
    public static final int DEFAULT_LOG_LINES_PER_INTERVAL = 5;
    /** Default interval of the refusal log. */
    public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofSeconds(10);
    /** One address may hold this fraction (1/N) of each budget by default. */
    public static final int DEFAULT_SHARE_DIVISOR = 4;

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
        if (maxQueuedItems < 1 || maxQueuedItems > 1_000_000) {
            throw new IllegalArgumentException("max queued items must be 1..1000000, got " + maxQueuedItems);
        }
        if (maxQueuedReplies < 1 || maxQueuedReplies > 1_000_000) {
            throw new IllegalArgumentException("max queued replies must be 1..1000000, got " + maxQueuedReplies);
        }
        if (maxPendingBytesPerAddress < maxItemBytes || maxPendingBytesPerAddress > maxPendingBytes) {
            throw new IllegalArgumentException("max pending bytes per address " + maxPendingBytesPerAddress
                    + " must be between the max item size " + maxItemBytes + " and max pending bytes "
                    + maxPendingBytes + "; otherwise no max-size item could be received");
        }
        if (maxOpenItemsPerAddress < 1 || maxOpenItemsPerAddress > maxOpenSenders) {
            throw new IllegalArgumentException("max open items per address must be 1.." + maxOpenSenders
                    + " (max open senders), got " + maxOpenItemsPerAddress);
        }
        if (smallItemReserveBytes < 0 || smallItemReserveBytes > maxPendingBytes - maxItemBytes) {
            throw new IllegalArgumentException("small-item reserve " + smallItemReserveBytes + " must be 0.."
                    + (maxPendingBytes - maxItemBytes) + " (max pending bytes minus max item size); otherwise no"
                    + " max-size item could be received");
        }
        if (logLinesPerInterval < 0 || logLinesPerInterval > 1_000_000) {
            throw new IllegalArgumentException("log lines per interval must be 0..1000000, got "
                    + logLinesPerInterval);
        }
        if (logIntervalNs < Duration.ofMillis(1).toNanos() || logIntervalNs > Duration.ofDays(1).toNanos()) {
            throw new IllegalArgumentException("log interval must be between 1 ms and 1 day, got " + logIntervalNs
                    + " ns");
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
        private Path spillDirectory;
        private int maxQueuedItems = 64;
        private int maxQueuedReplies = 1024;
        private long maxPendingBytesPerAddress = -1;
        private int maxOpenItemsPerAddress = -1;
        private long smallItemReserveBytes = -1;
        private int logLinesPerInterval = DEFAULT_LOG_LINES_PER_INTERVAL;
        private long logIntervalNs = DEFAULT_LOG_INTERVAL.toNanos();

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

        /** Sum of declared lengths of all open items (default max(8 GiB, 4 x maxItemBytes)). */
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

        /** Directory for spill files (see {@link PlainSpillDirectory#prepare}); null for none. */
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

        /** Declared bytes one sender address may have open (default max(maxItemBytes, maxPendingBytes / 4)). */
        public Builder maxPendingBytesPerAddress(long v) {
            maxPendingBytesPerAddress = v;
            return this;
        }

        /** Items one sender address may have open (default maxOpenSenders / 4). */
        public Builder maxOpenItemsPerAddress(int v) {
            maxOpenItemsPerAddress = v;
            return this;
        }

        /** Part of the pending budget only small items may use (default min(pending / 8, pending - max item)). */
        public Builder smallItemReserveBytes(long v) {
            smallItemReserveBytes = v;
            return this;
        }

        /** Refusals logged one line each per reason and interval. */
        public Builder logLinesPerInterval(int v) {
            logLinesPerInterval = v;
            return this;
        }

        /** Interval of the refusal log's summary lines. */
        public Builder logInterval(Duration v) {
            logIntervalNs = v.toNanos();
            return this;
        }

        /** Validates and builds. */
        public PlainReceiverConfig build() {
            long fourItems = maxItemBytes > Long.MAX_VALUE / DEFAULT_SHARE_DIVISOR ? Long.MAX_VALUE
                    : DEFAULT_SHARE_DIVISOR * maxItemBytes;
            long pending = maxPendingBytes >= 0 ? maxPendingBytes : Math.max(DEFAULT_MIN_PENDING_BYTES, fourItems);
            long perAddress = maxPendingBytesPerAddress >= 0 ? maxPendingBytesPerAddress
                    : Math.min(pending, Math.max(maxItemBytes, pending / DEFAULT_SHARE_DIVISOR));
            int itemsPerAddress = maxOpenItemsPerAddress >= 0 ? maxOpenItemsPerAddress
                    : Math.max(1, maxOpenSenders / DEFAULT_SHARE_DIVISOR);
            long reserve = smallItemReserveBytes >= 0 ? smallItemReserveBytes
                    : Math.max(0, Math.min(pending / 8, pending - maxItemBytes));
            return new PlainReceiverConfig(headerFormat, maxItemBytes, replyText, silenceTimeoutNs, maxOpenSenders,
                    pending, memoryPerItemBytes, memoryTotalBytes, spillDirectory, maxQueuedItems, maxQueuedReplies,
                    perAddress, itemsPerAddress, reserve, logLinesPerInterval, logIntervalNs);
        }
    }
}
