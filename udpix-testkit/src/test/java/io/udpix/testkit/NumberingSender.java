package io.udpix.testkit;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Toy endpoint: sends {@code count} numbered datagrams of {@code sizeBytes} to one destination, one every
 * {@code intervalNs} from {@code startNs} (interval 0: all at once; a paced blaster otherwise). Counts what it
 * receives.
 */
final class NumberingSender implements SansIoEndpoint {
    private final InetSocketAddress destination;
    private final long count;
    private final int sizeBytes;
    private final long intervalNs;
    private long nextSendNs;
    private long sent;
    private long received;
    private long[] sendTimesNs;

    NumberingSender(InetSocketAddress destination, long count, int sizeBytes, long intervalNs, long startNs) {
        if (sizeBytes < 8) {
            throw new IllegalArgumentException("datagrams carry an 8-byte sequence number; sizeBytes >= 8");
        }
        this.destination = destination;
        this.count = count;
        this.sizeBytes = sizeBytes;
        this.intervalNs = intervalNs;
        this.nextSendNs = startNs;
    }

    /** Keeps the send time of every datagram (for latency checks; only for small counts). */
    NumberingSender recordSendTimes() {
        sendTimesNs = new long[Math.toIntExact(count)];
        return this;
    }

    /** Interval between datagrams that offers {@code rateBitsPerSecond} of wire bytes (payload + 28). */
    static long intervalForRate(int sizeBytes, long rateBitsPerSecond) {
        return (sizeBytes + LinkSpec.IPV4_UDP_OVERHEAD_BYTES) * 8L * 1_000_000_000L / rateBitsPerSecond;
    }

    long sent() {
        return sent;
    }

    long received() {
        return received;
    }

    boolean finished() {
        return sent == count;
    }

    long sendTimeNs(long seq) {
        return sendTimesNs[(int) seq];
    }

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        received++;
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        if (sent == count || nowNs < nextSendNs) {
            return null;
        }
        if (sendTimesNs != null) {
            sendTimesNs[(int) sent] = nowNs;
        }
        Payloads.write(dst, sent, sizeBytes);
        sent++;
        nextSendNs += intervalNs;
        return destination;
    }

    @Override
    public long nextDeadlineNs() {
        return sent == count ? Long.MAX_VALUE : nextSendNs;
    }

    @Override
    public void handleTimeout(long nowNs) {
        // Sending is driven by pollTransmit; the deadline only wakes the simulator up.
    }

    @Override
    public EndpointEvent pollEvent() {
        return null;
    }
}
