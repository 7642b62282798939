package io.udpix.driver.epoll;

import io.udpix.driver.DriverStats;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters behind {@link DriverStats} and {@link EpollStats}. Only the event loop thread writes them
 * (plain read plus release store: no lock prefix on the hot path); any thread may read.
 */
final class EpollCounters {
    final AtomicLong datagramsReceived = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong datagramsSent = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong receiveTruncations = new AtomicLong();
    final AtomicLong receiveErrors = new AtomicLong();
    final AtomicLong icmpErrors = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();
    final AtomicLong sendBlocked = new AtomicLong();
    final AtomicLong endpointErrors = new AtomicLong();
    final AtomicLong callbackErrors = new AtomicLong();
    final AtomicLong loopIterations = new AtomicLong();
    final AtomicLong readBursts = new AtomicLong();
    final AtomicLong gsoBatches = new AtomicLong();
    final AtomicLong gsoSegments = new AtomicLong();
    final AtomicLong gsoFailures = new AtomicLong();

    /** Adds {@code delta} to {@code counter} and returns the new value; event loop thread only. */
    static long add(AtomicLong counter, long delta) {
        long value = counter.getPlain() + delta;
        counter.setRelease(value);
        return value;
    }

    DriverStats snapshot() {
        return new DriverStats(datagramsReceived.get(), bytesReceived.get(), datagramsSent.get(), bytesSent.get(),
                receiveTruncations.get(), receiveErrors.get(), icmpErrors.get(), sendErrors.get(),
                sendBlocked.get(), endpointErrors.get(), callbackErrors.get(), loopIterations.get());
    }
}
