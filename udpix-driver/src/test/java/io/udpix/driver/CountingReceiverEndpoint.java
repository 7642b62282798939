package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.function.LongToIntFunction;

/**
 * A toy receiver of {@link PacedSenderEndpoint}'s datagrams: checks every byte, counts distinct sequence numbers
 * and reports that count back every {@code ackEvery} datagrams, and again every {@code repeatAckNs} while the
 * transfer is unfinished (so one lost report cannot stall the sender).
 */
public final class CountingReceiverEndpoint implements SansIoEndpoint {
    private final long total;
    private final LongToIntFunction sizes;
    private final int ackEvery;
    private final long repeatAckNs;
    private final BitSet seen = new BitSet();
    private long distinct;
    private long duplicates;
    private long corrupt;
    private long outOfOrder;
    private long highest = -1;
    private InetSocketAddress sender;
    private boolean ackDue;
    private long repeatAtNs = Long.MAX_VALUE;

    public CountingReceiverEndpoint(long total, int ackEvery, long repeatAckNs) {
        this(total, ackEvery, repeatAckNs, null);
    }

    /** With {@code sizes}, a datagram whose length is not {@code sizes.applyAsInt(sequence)} counts as corrupt. */
    public CountingReceiverEndpoint(long total, int ackEvery, long repeatAckNs, LongToIntFunction sizes) {
        this.sizes = sizes;
        this.total = total;
        this.ackEvery = ackEvery;
        this.repeatAckNs = repeatAckNs;
    }

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        sender = from;
        if (datagram.remaining() < Long.BYTES) {
            corrupt++;
            return;
        }
        int length = datagram.remaining();
        long sequence = datagram.getLong();
        if (sizes != null && (sequence < 0 || sequence >= total || sizes.applyAsInt(sequence) != length)) {
            corrupt++;
            return;
        }
        for (int i = Long.BYTES; datagram.hasRemaining(); i++) {
            if (datagram.get() != PacedSenderEndpoint.patternByte(sequence, i)) {
                corrupt++;
                return;
            }
        }
        if (sequence < 0 || sequence >= total) {
            corrupt++;
            return;
        }
        if (seen.get((int) sequence)) {
            duplicates++;
            return;
        }
        seen.set((int) sequence);
        distinct++;
        if (sequence < highest) {
            outOfOrder++;
        }
        highest = Math.max(highest, sequence);
        if (distinct % ackEvery == 0 || distinct == total) {
            ackDue = true;
        }
        if (repeatAtNs == Long.MAX_VALUE) {
            repeatAtNs = nowNs + repeatAckNs;
        }
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        if (!ackDue || sender == null) {
            return null;
        }
        ackDue = false;
        dst.clear();
        dst.putLong(distinct).flip();
        return sender;
    }

    @Override
    public long nextDeadlineNs() {
        if (ackDue) {
            return 0;
        }
        return distinct < total ? repeatAtNs : Long.MAX_VALUE;
    }

    @Override
    public void handleTimeout(long nowNs) {
        if (nowNs >= repeatAtNs && distinct < total) {
            ackDue = true;
            repeatAtNs = nowNs + repeatAckNs;
        }
    }

    @Override
    public EndpointEvent pollEvent() {
        return null;
    }

    public long distinct() {
        return distinct;
    }

    public long duplicates() {
        return duplicates;
    }

    public long corrupt() {
        return corrupt;
    }

    public long outOfOrder() {
        return outOfOrder;
    }
}
