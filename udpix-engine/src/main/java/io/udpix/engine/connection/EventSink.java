package io.udpix.engine.connection;

import io.udpix.engine.event.EndpointEvent;

/** Where a connection reports events; the endpoint queues them for the application. */
public interface EventSink {
    /**
     * Queues {@code event}. Progress events may be dropped when the queue is full; {@code essential} ones
     * (started, completed, failed, closed) never are.
     */
    void emit(EndpointEvent event, boolean essential);
}
