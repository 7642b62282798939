package io.udpix.driver;

import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/** A toy endpoint that queues events on request (connection ids 0, 1, 2, ...) and otherwise echoes. */
public final class EventfulEndpoint extends EchoEndpoint {
    private static final int MAX_QUEUED = 100_000;
    private final ArrayDeque<EndpointEvent> queued = new ArrayDeque<>();
    private long nextId;

    /** Queues {@code count} ConnectionEstablished events; call on the loop thread. */
    public void emit(int count, InetSocketAddress peer) {
        for (int i = 0; i < count && queued.size() < MAX_QUEUED; i++) {
            queued.add(new ConnectionEstablished(nextId++, peer));
        }
    }

    @Override
    public EndpointEvent pollEvent() {
        return queued.poll();
    }
}
