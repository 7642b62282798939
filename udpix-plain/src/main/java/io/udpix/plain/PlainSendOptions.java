package io.udpix.plain;

import java.time.Duration;

/**
 * How a {@link PlainSender} sends.
 *
 * @param headerFormat           layout of the length header (default 8 bytes little-endian)
 * @param chunkBytes             piece size; 0 = automatic: one datagram when the item is an image or JSON of at
 *                               most 65,507 bytes, else pieces of {@value PlainSender#DEFAULT_CHUNK_BYTES}
 * @param waitEach               stop-and-wait: wait for the reply to every datagram before the next
 * @param replyTimeoutNs         how long to wait for a reply before failing (default 10 s)
 * @param maxUnrepliedDatagrams  without waitEach, datagrams that may be in flight without a reply (default 128):
 *                               enough to stream, few enough not to overflow a receiver's socket buffer
 */
public record PlainSendOptions(PlainHeaderFormat headerFormat, int chunkBytes, boolean waitEach, long replyTimeoutNs,
        int maxUnrepliedDatagrams) {

    /** 8le header, automatic chunking, no stop-and-wait, 10 s timeout, 128 datagrams in flight. */
    public static final PlainSendOptions DEFAULTS =
            new PlainSendOptions(PlainHeaderFormat.DEFAULT, 0, false, Duration.ofSeconds(10).toNanos(), 128);

    /** Validates the values, naming the fix. */
    public PlainSendOptions {
        if (headerFormat == null) {
            throw new IllegalArgumentException("headerFormat is missing; use PlainHeaderFormat.DEFAULT (8le)");
        }
        if (chunkBytes < 0 || chunkBytes > PlainSender.MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("chunk size " + chunkBytes + " is not in 1.."
                    + PlainSender.MAX_DATAGRAM_BYTES + " (or 0 for automatic); the tutorial uses --chunk 1024");
        }
        if (replyTimeoutNs < Duration.ofMillis(1).toNanos() || replyTimeoutNs > Duration.ofDays(1).toNanos()) {
            throw new IllegalArgumentException("reply timeout must be between 1 ms and 1 day, got "
                    + replyTimeoutNs + " ns");
        }
        if (maxUnrepliedDatagrams < 1 || maxUnrepliedDatagrams > 65_536) {
            throw new IllegalArgumentException("datagrams in flight must be 1..65536, got " + maxUnrepliedDatagrams);
        }
    }

    /** With another header format. */
    public PlainSendOptions withHeaderFormat(PlainHeaderFormat v) {
        return new PlainSendOptions(v, chunkBytes, waitEach, replyTimeoutNs, maxUnrepliedDatagrams);
    }

    /** With another piece size (0 = automatic). */
    public PlainSendOptions withChunkBytes(int v) {
        return new PlainSendOptions(headerFormat, v, waitEach, replyTimeoutNs, maxUnrepliedDatagrams);
    }

    /** With or without stop-and-wait. */
    public PlainSendOptions withWaitEach(boolean v) {
        return new PlainSendOptions(headerFormat, chunkBytes, v, replyTimeoutNs, maxUnrepliedDatagrams);
    }

    /** With another reply timeout. */
    public PlainSendOptions withReplyTimeout(Duration v) {
        return new PlainSendOptions(headerFormat, chunkBytes, waitEach, v.toNanos(), maxUnrepliedDatagrams);
    }

    /** With another in-flight bound. */
    public PlainSendOptions withMaxUnrepliedDatagrams(int v) {
        return new PlainSendOptions(headerFormat, chunkBytes, waitEach, replyTimeoutNs, v);
    }
}
