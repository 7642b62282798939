package io.udpix.api;

import io.udpix.engine.metrics.CountersSnapshot;
import java.util.Objects;

/**
 * One socket's raw counters registry at one moment, with the local port it serves: every group (the endpoint's,
 * one per drop reason, one per connection) with its schema, labels and values, for exporters that publish every
 * metric by name (the Prometheus module) rather than the typed fields of {@link SocketStats}. Read without
 * stopping the I/O thread. A server started with several threads per port has several sockets on one port.
 *
 * @param port     the local port
 * @param snapshot the registry's groups at that moment
 */
public record PortCounters(int port, CountersSnapshot snapshot) {
    /** Checks the snapshot is there. */
    public PortCounters {
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
