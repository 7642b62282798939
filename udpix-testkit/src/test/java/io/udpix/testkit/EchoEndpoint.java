package io.udpix.testkit;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/** Toy endpoint: sends every datagram back to its sender (a bounded backlog; overflow is dropped). */
final class EchoEndpoint implements SansIoEndpoint {
    private static final int MAX_BACKLOG = 10_000;
    private final ArrayDeque<byte[]> replies = new ArrayDeque<>();
    private final ArrayDeque<InetSocketAddress> destinations = new ArrayDeque<>();
    private long echoed;

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        if (replies.size() == MAX_BACKLOG) {
            return;
        }
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(copy);
        replies.add(copy);
        destinations.add(from);
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        byte[] next = replies.poll();
        if (next == null) {
            return null;
        }
        dst.clear();
        dst.put(next).flip();
        echoed++;
        return destinations.poll();
    }

    long echoed() {
        return echoed;
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
