package io.udpix.plain;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Rate limit for the receiver's refusal log lines: per {@link PlainErrorReason}, the first few refusals of each
 * interval are logged one line each, the rest are only counted, and when the interval ends one summary line says
 * how many were not logged and from how many senders. A flood of bad datagrams therefore writes a bounded number
 * of lines (reasons x (lines + 1) per interval) while {@link PlainCounters} still counts every refusal.
 *
 * <p>Memory is fixed at construction: per reason a table of at most {@link #TRACKED_SENDERS} sender keys, so the
 * sender count in a summary is exact up to that many and "more than" beyond it. No allocation per refusal.
 * Single-threaded, like the receiver; time comes from the caller ({@code nowNs}), so it stays sans-I/O.
 */
final class RefusalLog {
    /** Distinct senders counted exactly per reason and interval; beyond it a summary says "more than". */
    static final int TRACKED_SENDERS = 1024;
    private static final int TABLE_SLOTS = 2 * TRACKED_SENDERS;
    private static final long EMPTY = 0L;
    private static final int REASONS = PlainErrorReason.values().length;

    private final Logger log;
    private final int linesPerInterval;
    private final long intervalNs;
    private final boolean[] windowOpen = new boolean[REASONS];
    private final long[] windowStartNs = new long[REASONS];
    private final int[] logged = new int[REASONS];
    private final long[] suppressed = new long[REASONS];
    private final long[][] senders = new long[REASONS][TABLE_SLOTS];
    private final int[] senderCount = new int[REASONS];
    private final boolean[] senderOverflow = new boolean[REASONS];
    private long summaryLines;

    RefusalLog(Logger log, int linesPerInterval, long intervalNs) {
        this.log = log;
        this.linesPerInterval = linesPerInterval;
        this.intervalNs = intervalNs;
    }

    /**
     * Records one refusal from {@code from} and returns whether the caller should log it as a line of its own
     * (false: it is counted for the interval's summary line instead).
     */
    boolean refused(PlainErrorReason reason, InetSocketAddress from, long nowNs) {
        int r = reason.ordinal();
        if (windowOpen[r] && nowNs - windowStartNs[r] >= intervalNs) {
            closeWindow(r, intervalNs); // every refusal it counted fell inside the interval
        }
        if (!windowOpen[r]) {
            windowOpen[r] = true;
            windowStartNs[r] = nowNs;
        }
        addSender(r, key(from));
        if (logged[r] < linesPerInterval) {
            logged[r]++;
            return true;
        }
        suppressed[r]++;
        return false;
    }

    /** Writes the summary of every interval that has ended by {@code nowNs}. */
    void flush(long nowNs) {
        for (int r = 0; r < REASONS; r++) {
            if (windowOpen[r] && nowNs - windowStartNs[r] >= intervalNs) {
                closeWindow(r, intervalNs);
            }
        }
    }

    /** Writes the summaries of the intervals still open (the receiver is closing), whatever their age. */
    void flushAll(long nowNs) {
        for (int r = 0; r < REASONS; r++) {
            if (windowOpen[r]) {
                closeWindow(r, Math.max(0, Math.min(intervalNs, nowNs - windowStartNs[r])));
            }
        }
    }

    /** When a summary line is next due; {@code Long.MAX_VALUE} when none is pending. */
    long nextDeadlineNs() {
        long next = Long.MAX_VALUE;
        for (int r = 0; r < REASONS; r++) {
            if (windowOpen[r] && suppressed[r] > 0) {
                next = Math.min(next, windowStartNs[r] + intervalNs);
            }
        }
        return next;
    }

    /** Summary lines written so far (for tests and measurements). */
    long summaryLines() {
        return summaryLines;
    }

    private void closeWindow(int r, long elapsedNs) {
        if (suppressed[r] > 0) {
            PlainErrorReason reason = PlainErrorReason.values()[r];
            summaryLines++;
            String senders = (senderOverflow[r] ? "more than " : "") + String.format(Locale.ROOT, "%,d", senderCount[r])
                    + (senderCount[r] == 1 && !senderOverflow[r] ? " sender" : " senders");
            log.warn("plain: dropped {} {} from {} in the last {} (the first {} were logged; counter {})",
                    String.format(Locale.ROOT, "%,d", suppressed[r]), describe(reason), senders, seconds(elapsedNs),
                    logged[r], reason.name().toLowerCase(Locale.ROOT));
        }
        windowOpen[r] = false;
        logged[r] = 0;
        suppressed[r] = 0;
        if (senderCount[r] > 0) {
            Arrays.fill(senders[r], EMPTY);
        }
        senderCount[r] = 0;
        senderOverflow[r] = false;
    }

    private void addSender(int r, long key) {
        long[] table = senders[r];
        int slot = (int) (mix(key) & (TABLE_SLOTS - 1));
        for (int probe = 0; probe < TABLE_SLOTS; probe++) {
            long existing = table[slot];
            if (existing == key) {
                return;
            }
            if (existing == EMPTY) {
                if (senderCount[r] >= TRACKED_SENDERS) {
                    senderOverflow[r] = true;
                    return;
                }
                table[slot] = key;
                senderCount[r]++;
                return;
            }
            slot = (slot + 1) & (TABLE_SLOTS - 1);
        }
        senderOverflow[r] = true;
    }

    /**
     * A non-zero key per address and port without allocating: exact for IPv4 (the address's hashCode is its 32
     * bits), a hash for IPv6 (a collision only makes a summary's sender count one lower).
     */
    static long key(InetSocketAddress from) {
        long port = from.getPort() & 0xFFFFL;
        if (from.getAddress() instanceof Inet4Address v4) {
            return (1L << 62) | ((v4.hashCode() & 0xFFFF_FFFFL) << 16) | port;
        }
        long hash = from.getAddress() != null ? from.getAddress().hashCode() : from.getHostString().hashCode();
        return (1L << 63) | ((hash & 0xFFFF_FFFFL) << 16) | port;
    }

    private static long mix(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return h ^ (h >>> 32);
    }

    private static String describe(PlainErrorReason reason) {
        return switch (reason) {
            case GARBAGE -> "datagrams that were not an image, JSON or a length header";
            case LENGTH_TOO_LARGE -> "bad headers (length above --max-size)";
            case LENGTH_NOT_POSITIVE -> "bad headers (length zero or negative)";
            case OVERRUN -> "partial items (datagram past the declared length)";
            case SILENCE -> "partial items (sender silent past --plain-timeout)";
            case EVICTED -> "partial items (too many senders mid-item)";
            case BUSY -> "headers or items refused as busy (a budget or a sender's share was full)";
            case STORE_FAILED -> "items that could not be stored";
        };
    }

    private static String seconds(long ns) {
        long ms = ns / 1_000_000;
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
