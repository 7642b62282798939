package io.udpix.cli.report;

import java.time.Duration;
import java.util.Objects;

/**
 * One finished item (image, JSON document or file) as reported to the user.
 *
 * @param outcome     what happened
 * @param kind        {@code "image"}, {@code "json"}, {@code "file"} or {@code "bytes"}
 * @param name        the item's name ({@code ""} when it has none, e.g. a JSON document from the command line)
 * @param lengthBytes its size in bytes (for a failure: as far as it got)
 * @param peer        the other side as {@code IP:PORT} (sender for received items, receiver for sent ones)
 * @param port        the local port it arrived on (received items), else 0
 * @param elapsed     time from the first to the last byte (or to the failure)
 * @param sha256Hex   the SHA-256 both sides agreed on, or null
 * @param savedAs     where the server stored it, or null
 * @param detail      extra text: image size and format, a warning, or the reason of a failure; or null
 * @param meta        the item's metadata (key to value, in the sender's order); empty when it has none
 * @param resumedFromBytes for a sent item: where its transfer started (the receiver already held the first bytes
 *                    up to here from an interrupted transfer; 0 when every byte was sent); -1 when not told
 */
public record ItemReport(Outcome outcome, String kind, String name, long lengthBytes, String peer, int port,
                         Duration elapsed, String sha256Hex, String savedAs, String detail,
                         java.util.Map<String, String> meta, long resumedFromBytes) {

    /** A report that says nothing about resuming. */
    public ItemReport(Outcome outcome, String kind, String name, long lengthBytes, String peer, int port,
            Duration elapsed, String sha256Hex, String savedAs, String detail, java.util.Map<String, String> meta) {
        this(outcome, kind, name, lengthBytes, peer, port, elapsed, sha256Hex, savedAs, detail, meta, -1);
    }

    /** What happened to an item. */
    public enum Outcome {
        /** A server received it and the SHA-256 matched. */
        RECEIVED("received", true),
        /** A client sent it and the receiver confirmed the SHA-256. */
        SENT("sent", false),
        /** A server did not get all of it, or it did not match; {@link #detail()} says why. */
        RECEIVE_FAILED("receive failed", true),
        /** A client could not get it confirmed; {@link #detail()} says why. */
        SEND_FAILED("send failed", false),
        /**
         * A server sent this reply back to a request and the requester confirmed it ({@link #detail()}: the error
         * an error reply carried).
         */
        REPLIED("replied", false),
        /** A server's reply to a request did not reach the requester; {@link #detail()} says why. */
        REPLY_FAILED("reply failed", false);

        private final String words;
        private final boolean incoming;

        Outcome(String words, boolean incoming) {
            this.words = words;
            this.incoming = incoming;
        }

        /** How plain output says it, e.g. {@code "send failed"}. */
        public String words() {
            return words;
        }

        /** True for items coming in (the peer is the sender). */
        public boolean incoming() {
            return incoming;
        }

        /** True when the item got through. */
        public boolean ok() {
            return this == RECEIVED || this == SENT || this == REPLIED;
        }

        /** How JSON output names it, e.g. {@code "send_failed"}. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the fields. */
    public ItemReport {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(elapsed, "elapsed");
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("lengthBytes must be >= 0, was " + lengthBytes);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed must not be negative, was " + elapsed);
        }
        meta = meta == null || meta.isEmpty() ? java.util.Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(meta));
    }

    /** Without metadata. */
    public ItemReport(Outcome outcome, String kind, String name, long lengthBytes, String peer, int port,
            Duration elapsed, String sha256Hex, String savedAs, String detail) {
        this(outcome, kind, name, lengthBytes, peer, port, elapsed, sha256Hex, savedAs, detail, java.util.Map.of());
    }

    /** A reply a server sent to {@code requester} (confirmed: {@code failure} null), with what it says. */
    public static ItemReport replied(String kind, String name, long lengthBytes, String requester, int port,
                                     Duration elapsed, String failure) {
        return new ItemReport(failure == null || failure.startsWith("error: ") ? Outcome.REPLIED
                : Outcome.REPLY_FAILED, kind, name, lengthBytes, requester, port, elapsed, null, null, failure);
    }

    /** A copy with the item's metadata. */
    public ItemReport withMeta(java.util.Map<String, String> value) {
        return new ItemReport(outcome, kind, name, lengthBytes, peer, port, elapsed, sha256Hex, savedAs, detail,
                value, resumedFromBytes);
    }

    /** An item a server received on {@code port} from {@code sender}. */
    public static ItemReport received(String kind, String name, long lengthBytes, String sender, int port,
                                      Duration elapsed) {
        return new ItemReport(Outcome.RECEIVED, kind, name, lengthBytes, sender, port, elapsed, null, null, null);
    }

    /** An item a client sent to {@code receiver}, confirmed. */
    public static ItemReport sent(String kind, String name, long lengthBytes, String receiver, Duration elapsed) {
        return new ItemReport(Outcome.SENT, kind, name, lengthBytes, receiver, 0, elapsed, null, null, null);
    }

    /** An item a server was receiving on {@code port} that did not get through, with the reason. */
    public static ItemReport receiveFailed(String kind, String name, long lengthBytes, String sender, int port,
                                           Duration elapsed, String reason) {
        return new ItemReport(Outcome.RECEIVE_FAILED, kind, name, lengthBytes, sender, port, elapsed, null, null,
                reason);
    }

    /** An item a client could not get confirmed, with the reason. */
    public static ItemReport sendFailed(String kind, String name, long lengthBytes, String receiver,
                                        Duration elapsed, String reason) {
        return new ItemReport(Outcome.SEND_FAILED, kind, name, lengthBytes, receiver, 0, elapsed, null, null,
                reason);
    }

    /** A copy with the agreed SHA-256. */
    public ItemReport withSha256(String hex) {
        return new ItemReport(outcome, kind, name, lengthBytes, peer, port, elapsed, hex, savedAs, detail, meta,
                resumedFromBytes);
    }

    /** A copy with where it was stored. */
    public ItemReport withSavedAs(String path) {
        return new ItemReport(outcome, kind, name, lengthBytes, peer, port, elapsed, sha256Hex, path, detail, meta,
                resumedFromBytes);
    }

    /** A copy with extra text. */
    public ItemReport withDetail(String text) {
        return new ItemReport(outcome, kind, name, lengthBytes, peer, port, elapsed, sha256Hex, savedAs, text, meta,
                resumedFromBytes);
    }

    /** A copy with the local port. */
    public ItemReport withPort(int localPort) {
        return new ItemReport(outcome, kind, name, lengthBytes, peer, localPort, elapsed, sha256Hex, savedAs,
                detail, meta, resumedFromBytes);
    }

    /** A copy saying where its transfer started (0: every byte was sent). */
    public ItemReport withResumedFrom(long bytes) {
        return new ItemReport(outcome, kind, name, lengthBytes, peer, port, elapsed, sha256Hex, savedAs, detail, meta,
                bytes);
    }

    /** Content bytes that went over the network: the size less what a resumed transfer skipped. */
    public long movedBytes() {
        return lengthBytes - Math.max(0, resumedFromBytes);
    }

    /**
     * Bytes moved ({@link #movedBytes()}) per second over {@link #elapsed()}, or -1 when no time was measured (a
     * rate would be meaningless).
     */
    public double rateBytesPerSecond() {
        long elapsedNs = elapsed.toNanos();
        return elapsedNs <= 0 ? -1 : movedBytes() * 1e9 / elapsedNs;
    }
}
