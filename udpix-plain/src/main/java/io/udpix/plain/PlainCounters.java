package io.udpix.plain;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live counters of a plain receiver. Written by the receiver's thread, readable from any thread (a status
 * line, a metrics scrape) without locking.
 */
public final class PlainCounters {
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong datagramBytes = new AtomicLong();
    private final AtomicLongArray items = new AtomicLongArray(PlainItemKind.values().length);
    private final AtomicLongArray errors = new AtomicLongArray(PlainErrorReason.values().length);
    private final AtomicLong repliesDropped = new AtomicLong();
    private final AtomicLong repliesCut = new AtomicLong();
    private final AtomicLong repliesOmitted = new AtomicLong();

    /** Datagrams handed to the receiver. */
    public long datagrams() {
        return datagrams.get();
    }

    /** Payload bytes of all datagrams handed to the receiver. */
    public long datagramBytes() {
        return datagramBytes.get();
    }

    /** Completed items of every kind. */
    public long items() {
        long sum = 0;
        for (int i = 0; i < items.length(); i++) {
            sum += items.get(i);
        }
        return sum;
    }

    /** Completed items of one kind. */
    public long items(PlainItemKind kind) {
        return items.get(kind.ordinal());
    }

    /** Refusals and discards of every reason (each counted, even when its reply was cut or not sent). */
    public long errors() {
        long sum = 0;
        for (int i = 0; i < errors.length(); i++) {
            sum += errors.get(i);
        }
        return sum;
    }

    /** Refusals and discards for one reason. */
    public long errors(PlainErrorReason reason) {
        return errors.get(reason.ordinal());
    }

    /** Replies not sent because the reply queue was full (the runner did not drain it). */
    public long repliesDropped() {
        return repliesDropped.get();
    }

    /**
     * Replies cut to the size of the datagram they answer, because its sender had no accepted header
     * (anti-amplification; see docs/PLAIN_MODE.md).
     */
    public long repliesCut() {
        return repliesCut.get();
    }

    /** Error replies not sent because the datagram they answer was shorter than {@code error} (5 bytes). */
    public long repliesOmitted() {
        return repliesOmitted.get();
    }

    void replyCut() {
        repliesCut.incrementAndGet();
    }

    void replyOmitted() {
        repliesOmitted.incrementAndGet();
    }

    void datagram(int lengthBytes) {
        datagrams.incrementAndGet();
        datagramBytes.addAndGet(lengthBytes);
    }

    void item(PlainItemKind kind) {
        items.incrementAndGet(kind.ordinal());
    }

    void error(PlainErrorReason reason) {
        errors.incrementAndGet(reason.ordinal());
    }

    void replyDropped() {
        repliesDropped.incrementAndGet();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("datagrams=").append(datagrams()).append(" items=").append(items());
        for (PlainErrorReason r : PlainErrorReason.values()) {
            long n = errors(r);
            if (n > 0) {
                s.append(' ').append(r.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(n);
            }
        }
        if (repliesCut() > 0 || repliesOmitted() > 0) {
            s.append(" replies_cut=").append(repliesCut()).append(" replies_omitted=").append(repliesOmitted());
        }
        return s.toString();
    }
}
