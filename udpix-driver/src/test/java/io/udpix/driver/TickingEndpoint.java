package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/** A toy endpoint with a timer every {@code periodNs}, {@code ticks} times; records any call that came early. */
public final class TickingEndpoint implements SansIoEndpoint {
    private final long periodNs;
    private final CountDownLatch remaining;
    private long deadlineNs;
    private long earlyCalls;
    private long maxLatenessNs;

    public TickingEndpoint(long periodNs, int ticks, long firstDeadlineNs) {
        this.periodNs = periodNs;
        this.remaining = new CountDownLatch(ticks);
        this.deadlineNs = firstDeadlineNs;
    }

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        // Not used.
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        return null;
    }

    @Override
    public long nextDeadlineNs() {
        return remaining.getCount() == 0 ? Long.MAX_VALUE : deadlineNs;
    }

    @Override
    public void handleTimeout(long nowNs) {
        if (nowNs < deadlineNs) {
            earlyCalls++;
            return;
        }
        maxLatenessNs = Math.max(maxLatenessNs, nowNs - deadlineNs);
        deadlineNs += periodNs;
        remaining.countDown();
    }

    @Override
    public EndpointEvent pollEvent() {
        return null;
    }

    public CountDownLatch remaining() {
        return remaining;
    }

    public long earlyCalls() {
        return earlyCalls;
    }

    public long maxLatenessNs() {
        return maxLatenessNs;
    }
}
