package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A toy endpoint that sends every datagram back to its sender. Copies go into a fixed ring of preallocated
 * buffers (so the echo path allocates nothing); a datagram arriving with the ring full is dropped and counted.
 */
public class EchoEndpoint implements SansIoEndpoint {
    private static final int RING_SLOTS = 64;
    private final ByteBuffer[] ring = new ByteBuffer[RING_SLOTS];
    private final InetSocketAddress[] senders = new InetSocketAddress[RING_SLOTS];
    private int head;
    private int size;
    private long dropped;
    private long received;

    public EchoEndpoint() {
        for (int i = 0; i < RING_SLOTS; i++) {
            ring[i] = ByteBuffer.allocate(DriverOptions.MAX_UDP_PAYLOAD_BYTES);
        }
    }

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        received++;
        if (size == RING_SLOTS) {
            dropped++;
            return;
        }
        int slot = (head + size) % RING_SLOTS;
        ring[slot].clear();
        ring[slot].put(datagram).flip();
        senders[slot] = from;
        size++;
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        if (size == 0) {
            return null;
        }
        ByteBuffer slot = ring[head];
        dst.clear();
        dst.put(slot).flip();
        InetSocketAddress to = senders[head];
        head = (head + 1) % RING_SLOTS;
        size--;
        return to;
    }

    @Override
    public long nextDeadlineNs() {
        return Long.MAX_VALUE;
    }

    @Override
    public void handleTimeout(long nowNs) {
        // Nothing is ever scheduled.
    }

    @Override
    public EndpointEvent pollEvent() {
        return null;
    }

    public long received() {
        return received;
    }

    public long dropped() {
        return dropped;
    }
}
