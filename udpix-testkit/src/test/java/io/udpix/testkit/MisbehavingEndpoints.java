package io.udpix.testkit;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferProgress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Toy endpoints that hang, livelock, break the contract, throw, or emit events. */
final class MisbehavingEndpoints {
    private MisbehavingEndpoints() {
    }

    /** Does nothing, ever: a hang. */
    static class Silent implements SansIoEndpoint {
        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
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

    /** Its deadline is always "now" and handling it changes nothing: a livelock. */
    static final class AlwaysDue extends Silent {
        long timeouts;

        @Override
        public long nextDeadlineNs() {
            return 0;
        }

        @Override
        public void handleTimeout(long nowNs) {
            timeouts++;
        }
    }

    /** Writes a datagram but forgets flip(): position is left at the end. */
    static final class ForgetsFlip extends Silent {
        private final InetSocketAddress to;

        ForgetsFlip(InetSocketAddress to) {
            this.to = to;
        }

        @Override
        public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
            dst.clear();
            dst.putLong(42);
            return to;
        }
    }

    /** Throws on every datagram. */
    static final class ThrowsOnDatagram extends Silent {
        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
            throw new IllegalStateException("toy failure");
        }
    }

    /** Reports one TransferProgress event per datagram received. */
    static final class EmitsProgress extends Silent {
        private final java.util.ArrayDeque<EndpointEvent> events = new java.util.ArrayDeque<>();
        private long received;

        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
            received++;
            events.add(new TransferProgress(7, 0, true, received * datagram.remaining(), 0));
        }

        @Override
        public EndpointEvent pollEvent() {
            return events.poll();
        }

        int queuedEvents() {
            return events.size();
        }
    }
}
