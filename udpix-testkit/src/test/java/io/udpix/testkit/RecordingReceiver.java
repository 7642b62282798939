package io.udpix.testkit;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Toy endpoint: never sends; records each arrival's sequence number, time, sender and whether it was intact. */
final class RecordingReceiver implements SansIoEndpoint {
    private static final int MAX_RECORDS = 10_000_000;
    private long[] seqs = new long[1024];
    private long[] timesNs = new long[1024];
    private InetSocketAddress[] senders = new InetSocketAddress[1024];
    private int count;
    private long corrupted;
    private long bytes;
    private final int[] firstDiff = new int[1];
    private int lastCorruptDiffBytes;
    private int lastCorruptMask;

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        if (count == MAX_RECORDS) {
            throw new IllegalStateException("receiver full");
        }
        if (count == seqs.length) {
            seqs = Arrays.copyOf(seqs, count * 2);
            timesNs = Arrays.copyOf(timesNs, count * 2);
            senders = Arrays.copyOf(senders, count * 2);
        }
        long seq = Payloads.seq(datagram);
        int diffs = Payloads.differingBytes(datagram, seq, firstDiff);
        if (diffs != 0) {
            corrupted++;
            lastCorruptDiffBytes = diffs;
            lastCorruptMask = firstDiff[0];
        }
        bytes += datagram.remaining();
        seqs[count] = seq;
        timesNs[count] = nowNs;
        senders[count] = from;
        count++;
    }

    int count() {
        return count;
    }

    long seq(int i) {
        return seqs[i];
    }

    long timeNs(int i) {
        return timesNs[i];
    }

    InetSocketAddress sender(int i) {
        return senders[i];
    }

    long corrupted() {
        return corrupted;
    }

    long bytes() {
        return bytes;
    }

    int lastCorruptDiffBytes() {
        return lastCorruptDiffBytes;
    }

    int lastCorruptMask() {
        return lastCorruptMask;
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        return null;
    }

    @Override
    public long nextDeadlineNs() {
        return Long.MAX_VALUE;
    }

    @Override
    public void handleTimeout(long nowNs) {
    }

    @Override
    public EndpointEvent pollEvent() {
        return null;
    }
}
